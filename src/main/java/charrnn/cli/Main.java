package charrnn.cli;

import charrnn.api.TrainOption;
import charrnn.checkpoint.CheckpointException;
import charrnn.corpus.CorpusException;
import charrnn.metrics.LossPlot;
import charrnn.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code charrnn} command. Exit codes: 0 ok, 1 failure, 2 usage error. */
@Command(name = "charrnn",
        mixinStandardHelpOptions = true,
        version = "charrnn 0.1.0",
        description = "A character-level RNN language model (min-char-rnn) on ND4J.",
        subcommands = {TrainCommand.class, GenerateCommand.class, ScoreCommand.class, PlotCommand.class, UiCommand.class,
                ExampleCommand.class, CompressCommand.Compress.class, CompressCommand.Decompress.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
                "  charrnn train                      train on corpus/input.txt",
                "  charrnn train my.txt --val-fraction 0.05 --hidden-size 256",
                "  charrnn train --resume latest      continue where the last run stopped",
                "  charrnn generate --start 'Call me' --length 500",
                "  charrnn score chapter.txt          how well the model predicts a text (nats/char)",
                "  charrnn plot                       draw checkpoints/metrics.csv as a PNG",
                "  charrnn ui                         a live page of checkpoints/ at http://127.0.0.1:9000/",
                "  charrnn example sentiment          the tutorials' other networks (also: sine)",
                "  charrnn help train                 every training option with its default"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'charrnn train'");
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (Error e) {
            OutOfMemoryError oom = outOfMemory(e);
            if (oom == null) {
                throw e;
            }
            System.err.println("charrnn: out of memory (" + oom.getMessage() + "): the model, its batch or its "
                    + "checkpoint needs more than this JVM may take; choose a smaller model, or raise the limit with "
                    + "CHARRNN_JAVA_OPTS=-Xmx...");
            code = 1;
        }
        System.exit(code);
    }

    /** Runs the command line in-process and returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");   // the loss plot is drawn off-screen
        }
        CommandLine cmd = CommandLines.create(new Main(out, err), out, err);
        CommandLines.addTrainOptions(cmd.getSubcommands().get("train").getCommandSpec(),
                java.util.EnumSet.allOf(TrainOption.class));
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String message = userMessage(ex);
            if (message == null) {
                throw ex;   // a bug, not the user's mistake: keep the stack trace
            }
            err.println("charrnn: " + message);
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cmd.execute(args);
    }

    private final PrintStream out;
    private final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    Main() {
        this(System.out, System.err);
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /**
     * The OutOfMemoryError behind an error, or null: ND4J's native allocator throws one, which a class's
     * static initializer (ND4J's own, when memory runs out at start) wraps in other errors.
     */
    static OutOfMemoryError outOfMemory(Throwable t) {
        for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) {
            if (t instanceof OutOfMemoryError oom) {
                return oom;
            }
        }
        return null;
    }

    /** The one-line message for an error the user can act on, or null for a bug (also charrnn-spark's rule). */
    public static String userMessage(Exception ex) {
        if (ex instanceof CorpusException || ex instanceof CheckpointException || ex instanceof TrainingDivergedException
                || ex instanceof LossPlot.BadMetricsException || ex instanceof charrnn.examples.DataException
                || ex instanceof IllegalArgumentException) {
            return ex.getMessage();
        }
        if (ex instanceof UncheckedIOException u) {
            ex = u.getCause();
        }
        if (ex instanceof IOException) {
            return ex.getMessage() == null ? ex.toString() : ex.getMessage();
        }
        return null;
    }
}
