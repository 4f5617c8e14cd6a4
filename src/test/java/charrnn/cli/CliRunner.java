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

        Result assertOk() {
            assertEquals(0, code, "exit code; stderr: " + err);
            return this;
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
