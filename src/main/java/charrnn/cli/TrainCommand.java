package charrnn.cli;

import charrnn.api.TrainOption;
import charrnn.api.Training;
import charrnn.api.TrainingResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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
        TrainingResult result = CommandLines.untilDoneOrSignalled(training::run, training::stop);
        return result.endStateLost() ? 1 : 0;
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** corpus/input.txt in the working directory, else in the installation the launcher names. */
    static Path defaultCorpus() {
        return Training.defaultCorpus();
    }
}
