package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deeper models from the command line: a run a user would make, and every mistake refused in one line. */
class DeepCliTest {
    static final String TEXT = "the cat sat on the mat. the dog sat on the log. ".repeat(20);   // 960 characters

    @TempDir
    Path dir;
    Path text;

    @BeforeEach
    void writeText() throws IOException {
        text = Files.writeString(dir.resolve("text.txt"), TEXT, StandardCharsets.UTF_8);
    }

    @Test
    void trainsScoresSamplesAndGenerates() {
        Path ck = dir.resolve("ck");
        CliRunner.Result r = CliRunner.run("train", text.toString(), "--cell", "gru", "--layers", "2",
                "--hidden-size", "16", "--batch-size", "4", "--seq-length", "10", "--optimizer", "adam",
                "--learning-rate", "0.01", "--max-iterations", "60", "--val-fraction", "0.2", "--eval-every", "30",
                "--sample-every", "30", "--sample-length", "40", "--log-every", "30", "--checkpoint-dir",
                ck.toString()).assertOk();
        List<String> lines = r.out().lines().toList();
        assertEquals("data has 960 characters, 14 unique.", lines.get(0));
        assertTrue(lines.get(1).startsWith("model: gru, 2 layers of 16, "), lines.get(1));
        assertTrue(lines.get(1).contains("float; 4 streams of 192 characters, adam lr 0.01"), lines.get(1));
        assertEquals(3, r.out().lines().filter(l -> l.startsWith("val loss ")).count(), r.out());
        assertEquals(2, r.out().lines().filter(l -> l.equals("----")).count() / 2, r.out());
        assertTrue(r.out().contains("done at iteration 60; saved "), r.out());
        assertTrue(Files.exists(ck.resolve("metrics.csv")) && Files.exists(ck.resolve("loss.png")));

        CliRunner.Result g = CliRunner.run("generate", ck.resolve("latest.npz").toString(), "--start", "the ",
                "--length", "50", "--temperature", "0.5").assertOk();
        assertTrue(g.out().startsWith("the "), g.out());
        assertEquals(54, g.out().codePoints().count(), g.out());
        CliRunner.Result again = CliRunner.run("generate", ck.resolve("latest.npz").toString(), "--start", "the ",
                "--length", "50", "--temperature", "0.5").assertOk();
        assertEquals(g.out(), again.out(), "same seed, same text");
    }

    @Test
    void badModelOptionsAreRefusedInOneLineAndNothingIsOverwritten() throws IOException {
        Path ck = dir.resolve("ck");
        CliRunner.run("train", text.toString(), "--hidden-size", "4", "--max-iterations", "2", "--checkpoint-dir",
                ck.toString()).assertOk();
        byte[] saved = Files.readAllBytes(ck.resolve("latest.npz"));
        String[] base = {"train", text.toString(), "--checkpoint-dir", ck.toString(), "--overwrite",
            "--max-iterations", "2"};
        run(base, "--layers", "0").assertOneLineError(2, "--layers must be a positive integer, got 0");
        run(base, "--batch-size", "0").assertOneLineError(2, "--batch-size must be a positive integer, got 0");
        run(base, "--batch-size", "40").assertOneLineError(2,
                "--batch-size 40 cuts 960 training characters into streams of 24; each needs at least "
                        + "--seq-length + 1 = 26 (at most --batch-size 36)");
        run(base, "--dropout", "1").assertOneLineError(2, "--dropout must be within [0, 1), got 1.0");
        run(base, "--dropout", "-0.1").assertOneLineError(2, "--dropout must be within [0, 1), got -0.1");
        run(base, "--cell", "transformer").assertOneLineError(2, "--cell");
        run(base, "--optimizer", "sgd").assertOneLineError(2, "--optimizer");
        run(base, "--max-minutes", "0").assertOneLineError(2, "--max-minutes must be a positive number, got 0.0");
        // 10,002,900,014 parameters × 8 bytes × 6 (parameters, gradients, Adagrad memories, the sampler's copy and
        // a background checkpoint's copy of parameters and memories) = 447.3 GiB, the activations a few MiB more
        run(base, "--hidden-size", "100000").assertOneLineError(2, "needs about 447.3 GiB of memory");
        run(base, "--cell", "lstm", "--layers", "4", "--hidden-size", "30000", "--batch-size", "30")
                .assertOneLineError(2, "a lstm model with 4 layers of 30000 units");
        assertArrayEquals(saved, Files.readAllBytes(ck.resolve("latest.npz")), "the saved run is intact");
    }

    private static CliRunner.Result run(String[] base, String... more) {
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRunner.run(args);
    }
}
