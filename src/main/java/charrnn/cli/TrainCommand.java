package charrnn.cli;

import charrnn.api.TrainOption;
import charrnn.api.Training;
import charrnn.api.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

@Command(name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Train a character-level model on a UTF-8 text file, printing a sample and the loss as it learns: "
                    + "min-char-rnn by default, or stacked LSTM or GRU layers over parallel streams.",
            "Runs until interrupted unless --max-iterations is given. Ctrl-C or SIGTERM saves a checkpoint "
                    + "before exiting; --resume continues exactly where a checkpoint left off."},
        footer = {"", "Examples:",
                "  charrnn train",
                "  charrnn train shakespeare.txt --hidden-size 256 --max-iterations 50000",
                "  charrnn train --resume latest",
                "  charrnn train shakespeare.txt --cell lstm --layers 2 --hidden-size 256 --batch-size 50 \\",
                "      --seq-length 50 --optimizer adam --val-fraction 0.1 --max-minutes 10",
                "  charrnn train --sample-every 0 --log-every 1000 --dtype float"})
final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    Main parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "UTF-8 text to train on (default: " + Training.DEFAULT_CORPUS + ", Moby-Dick; with --resume, "
                    + "the checkpoint's corpus).")
    Path file;

    /**
     * The options of {@code charrnn train}, one per {@link TrainOption}, added to the command's spec before
     * the command line is parsed (their order is the help's).
     */
    static void addOptions(CommandSpec spec) {
        java.util.List<OptionSpec> help = java.util.List.of(spec.findOption("--help"), spec.findOption("--version"));
        help.forEach(spec::remove);   // listed last, after the options
        for (TrainOption o : TrainOption.values()) {
            OptionSpec.Builder option = OptionSpec.builder(o.flag).description(o.description);
            if (o.label == null) {
                option.arity("0").type(boolean.class);
            } else {
                option.paramLabel(o.label).type(o.type);
            }
            spec.addOption(option.build());
        }
        help.forEach(spec::addOption);
    }

    @Override
    public Integer call() throws Exception {
        Training.Builder b = Training.builder().output(parent.out(), parent.err());
        if (file != null) {
            b.corpus(file);
        } else if (!given("--resume")) {
            b.corpus(defaultCorpus());
        }
        // only the options given: a resumed run refuses a given one that conflicts with its checkpoint
        ParseResult parsed = spec.commandLine().getParseResult();
        for (TrainOption o : TrainOption.values()) {
            if (parsed.hasMatchedOption(o.flag)) {
                o.apply(b, parsed.matchedOptionValue(o.flag, null));
            }
        }
        Training training = b.build();
        TrainingResult result = runUntilDoneOrSignalled(training);
        return result.endStateLost() ? 1 : 0;
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * Runs the training; Ctrl-C or SIGTERM asks it to stop after the current iteration, and the JVM waits
     * (up to a minute) for it to save its checkpoint before exiting.
     */
    private static TrainingResult runUntilDoneOrSignalled(Training training) throws IOException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            training.stop();
            try {
                finished.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "charrnn-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return training.run();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that training has finished
            }
        }
    }

    /** corpus/input.txt in the working directory, else in the installation the launcher names. */
    static Path defaultCorpus() {
        return Training.defaultCorpus();
    }
}
