package charrnn.cli;

import charrnn.api.TrainOption;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What charrnn's command lines share (charrnn's own and charrnn-spark's): the output streams, the usage
 * error's one line and exit code 2, the training options made from {@link TrainOption}, and stopping a run
 * cleanly on Ctrl-C or SIGTERM.
 */
public final class CommandLines {
    private CommandLines() {
    }

    /** {@code command}'s command line, printing to {@code out} and {@code err}; a usage error is one line, exit 2. */
    public static CommandLine create(Object command, PrintStream out, PrintStream err) {
        CommandLine cmd = new CommandLine(command);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cmd.setParameterExceptionHandler((ex, argv) -> {
            err.println("charrnn: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        return cmd;
    }

    /**
     * Adds one option per given {@link TrainOption} to a command's spec, before the command line is parsed (in
     * their order, which is the help's; --help and --version stay last).
     */
    public static void addTrainOptions(CommandSpec spec, Collection<TrainOption> options) {
        List<OptionSpec> help = List.of(spec.findOption("--help"), spec.findOption("--version"));
        help.forEach(spec::remove);
        for (TrainOption o : options) {
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

    /** A run that may be stopped from another thread. */
    public interface Run<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code run}; Ctrl-C or SIGTERM calls {@code stop} (which must make the run end soon, saving what it
     * has), and the JVM waits, up to a minute, for the run to return before exiting.
     */
    public static <T> T untilDoneOrSignalled(Run<T> run, Runnable stop) throws IOException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.run();
            try {
                finished.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "charrnn-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run.run();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the run has finished
            }
        }
    }
}
