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

    @picocli.CommandLine.Option(names = "--ui", paramLabel = "PORT", arity = "0..1",
            fallbackValue = "" + UiCommand.DEFAULT_PORT,
            description = "Serve the live page of the run (charrnn ui) from this process while it trains, on PORT "
                    + "(default when given without a port: " + UiCommand.DEFAULT_PORT + "; default: no page).")
    Integer ui;

    @picocli.CommandLine.Option(names = "--ui-host", paramLabel = "HOST", defaultValue = UiPage.LOOPBACK,
            description = "With --ui: the address to listen on; the page has no login (default: ${DEFAULT-VALUE}).")
    String uiHost;

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
        charrnn.ui.UiServer page = null;
        if (ui != null) {   // before training starts: a port in use ends here
            Path dir = parsed.hasMatchedOption("--checkpoint-dir") ? parsed.matchedOptionValue("--checkpoint-dir",
                    (Path) null) : Path.of(Training.DEFAULT_CHECKPOINT_DIR);
            page = UiPage.start(dir, uiHost, ui, parent.err());
            if (parsed.hasMatchedOption("--max-iterations")) {
                page.plan(parsed.matchedOptionValue("--max-iterations", 0L));
            }
            parent.out().println("the page of this run: " + page.address());
        }
        try {
            TrainingResult result = CommandLines.untilDoneOrSignalled(training::run, training::stop);
            return result.endStateLost() ? 1 : 0;
        } finally {
            if (page != null) {
                page.close();
            }
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** corpus/input.txt in the working directory, else in the installation the launcher names. */
    static Path defaultCorpus() {
        return Training.defaultCorpus();
    }
}
