package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process and captures what it prints. */
final class CliRunner {
    private CliRunner() {
    }

    record Result(int code, String out, String err) {
        /** A user's mistake: one line on stderr, no stack trace, nothing on stdout. */
        void assertOneLineError(int expectedCode, String expectedFragment) {
            assertEquals(expectedCode, code, "exit code; stderr: " + err);
            assertEquals(1, err.lines().count(), "exactly one line on stderr: " + err);
            assertTrue(err.startsWith("charrnn: "), err);
            assertTrue(err.contains(expectedFragment), "stderr should mention '" + expectedFragment + "': " + err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
            assertEquals("", out, "nothing on stdout");
        }

        /** As {@link #assertOneLineError}, for a run that printed on stdout before it failed. */
        void assertOneLineErrorAnyOutput(int expectedCode, String expectedFragment) {
            assertEquals(expectedCode, code, "exit code; stderr: " + err);
            assertEquals(1, err.lines().count(), "exactly one line on stderr: " + err);
            assertTrue(err.startsWith("charrnn: "), err);
            assertTrue(err.contains(expectedFragment), "stderr should mention '" + expectedFragment + "': " + err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        }

        Result assertOk() {
            assertEquals(0, code, "exit code; stderr: " + err);
            return this;
        }
    }

    /**
     * The samples and loss lines of a run's output, without speeds and bookkeeping (the data, model,
     * resuming and done lines), and without the "iter N" line of {@code drop}.
     */
    static java.util.List<String> printed(String out, long drop) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("data has") || line.startsWith("model:") || line.startsWith("resuming")
                    || line.startsWith("done at") || line.startsWith("iter " + drop + ",")) {
                continue;
            }
            lines.add(line.replaceAll(" \\| [0-9,]+ chars/s.*$", ""));
        }
        return lines;
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
