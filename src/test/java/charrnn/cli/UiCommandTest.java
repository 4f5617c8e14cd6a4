package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** charrnn ui and train --ui at the command line: a port in use is one line and exit 1, before any training. */
class UiCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPortInUseIsOneLineAndTrainingDoesNotStart() throws Exception {
        Path corpus = dir.resolve("text.txt");
        Files.writeString(corpus, "hello world, hello page. ".repeat(20), StandardCharsets.UTF_8);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String port = Integer.toString(taken.getLocalPort());
            Result ui = run("ui", dir.toString(), "--port", port);
            assertEquals(1, ui.code(), ui.err());
            assertEquals(1, ui.err().lines().count(), ui.err());
            assertTrue(ui.err().startsWith("charrnn: cannot serve the page on 127.0.0.1:" + port), ui.err());
            Path run = dir.resolve("run");
            Result train = run("train", corpus.toString(), "--max-iterations", "5", "--checkpoint-dir", run.toString(),
                    "--ui", port);
            assertEquals(1, train.code(), train.err());
            assertEquals(1, train.err().lines().count(), train.err());
            assertFalse(train.out().contains("data has"), "training did not start: " + train.out());
            assertFalse(Files.exists(run.resolve("metrics.csv")));
        }
        assertEquals(2, run("ui", "--port", "70000").code());
    }

    @Test
    void trainingWithThePageSavesAndExitsAsWithout() throws Exception {
        Path corpus = dir.resolve("text.txt");
        Files.writeString(corpus, "hello world, hello page. ".repeat(20), StandardCharsets.UTF_8);
        Path run = dir.resolve("run");
        Result r = run("train", corpus.toString(), "--max-iterations", "50", "--checkpoint-dir", run.toString(),
                "--ui", "0", "--sample-every", "0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("the page of this run: http://127.0.0.1:"), r.out());
        assertTrue(r.out().contains("done at iteration 50"), r.out());
        assertTrue(Files.exists(run.resolve("latest.npz")));
    }
}
