package charrnn.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class of the test classpath in a child JVM (this JVM's own {@code java}): for what a test cannot
 * do in-process, such as a small heap, a missing module or a signal. The in-process runner of the
 * command line is {@code charrnn.cli.CliRunner}.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** What the child printed and how it ended; {@code code} is -1 if it had to be killed. */
    public record Result(int code, String out, String err) {
    }

    /** The command: {@code java JVM_FLAGS -cp CLASSPATH MAIN ARGS}. */
    public static List<String> command(List<String> jvmFlags, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        return command;
    }

    /** Starts the child with its stdin closed; the caller reads its output. */
    public static Process start(List<String> jvmFlags, Class<?> main, List<String> args, boolean mergeErr)
            throws IOException {
        Process p = new ProcessBuilder(command(jvmFlags, main, args)).redirectErrorStream(mergeErr).start();
        p.getOutputStream().close();
        return p;
    }

    /** Runs the child to its end (killed after {@code minutes}), reading stdout and stderr side by side. */
    public static Result run(List<String> jvmFlags, Class<?> main, List<String> args, int minutes)
            throws IOException, InterruptedException {
        Process p = start(jvmFlags, main, args, false);
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        boolean ended = p.waitFor(minutes, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();   // a hung child ends the test, not the build
        }
        return new Result(ended ? p.exitValue() : -1, out.join(), err.join());
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
