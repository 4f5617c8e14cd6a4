package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointFile;
import charrnn.testing.Exact;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --threads N}: the same run bit for bit on every thread count (every printed loss and sample,
 * every array of the checkpoint), a resumed run on another count continuing bit for bit, and bad
 * counts refused in one line. Two layers, five streams (so that the parts are unequal for N = 2, 3, 4),
 * dropout and held-out scoring on; N above the CI's two cores is allowed, and must give the same bits.
 */
class ThreadsTest {
    static final String TEXT = "hello world, hello charrnn. the threads must not show. ".repeat(12);
    static final String STACKED = "--layers 2 --batch-size 5 --dropout 0.3 --lr-decay 0 --dtype float";

    @TempDir
    Path dir;
    Path text;

    @BeforeEach
    void writeText() throws IOException {
        text = Files.writeString(dir.resolve("text.txt"), TEXT, StandardCharsets.UTF_8);
    }

    private String[] train(Path checkpoints, String model, int iterations, int threads) {
        List<String> args = new ArrayList<>(List.of("train", text.toString(), "--seq-length", "13",
                "--sample-every", "6", "--sample-length", "20", "--log-every", "3", "--eval-every", "5",
                "--checkpoint-every", "10", "--seed", "4", "--checkpoint-dir", checkpoints.toString(),
                "--max-iterations", "" + iterations, "--threads", "" + threads));
        if (!model.isBlank()) {
            args.addAll(List.of(model.strip().split(" +")));
        }
        String[] defaults = {"--hidden-size", "12", "--val-fraction", "0.2"};
        for (int i = 0; i < defaults.length; i += 2) {
            if (!args.contains(defaults[i])) {
                args.addAll(List.of(defaults[i], defaults[i + 1]));
            }
        }
        return args.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "lstm          | --cell lstm " + STACKED + "                    | 4",
        "gru           | --cell gru " + STACKED + "                     | 4",
        "rnn           | --cell rnn --optimizer adam " + STACKED + "    | 4",
        "lstm one-hot  | --cell lstm --embedding-size 0 " + STACKED + " | 3",
        "lstm float64  | --cell lstm --layers 2 --batch-size 5 --dropout 0.3 --lr-decay 0 --dtype double | 3",
        // min-char-rnn's configuration at a size where the vanilla kernel splits each step in two
        "rnn H=260     | --hidden-size 260                                                 | 2",
    })
    void everyThreadCountTrainsTheSameRun(String name, String model, int most) throws IOException {
        Path first = dir.resolve("n1");
        List<String> expected = CliRunner.printed(CliRunner.run(train(first, model, 20, 1)).assertOk().out(), -1);
        assertTrue(expected.stream().anyMatch(l -> l.startsWith("iter ")), String.join("\n", expected));
        Checkpoint one = CheckpointFile.read(first.resolve("latest.npz"));
        for (int n = 2; n <= most; n++) {
            Path other = dir.resolve("n" + n);
            List<String> printed = CliRunner.printed(CliRunner.run(train(other, model, 20, n)).assertOk().out(), -1);
            assertEquals(expected, printed, name + ": what " + n + " threads print");
            Checkpoint many = CheckpointFile.read(other.resolve("latest.npz"));
            Exact.assertSameRun(one, many);
            assertEquals(one.deep().dropoutRngState(), many.deep().dropoutRngState());
        }
    }

    @Test
    void aRunResumedOnAnotherThreadCountContinuesBitForBit() throws IOException {
        String model = "--cell gru --val-fraction 0 " + STACKED;   // (held-out scoring: the test above)
        Path whole = dir.resolve("whole");
        Path parts = dir.resolve("parts");
        List<String> expected = CliRunner.printed(CliRunner.run(train(whole, model, 24, 2)).assertOk().out(), -1);
        // (the first part's last loss line, which the whole run does not print, left out)
        List<String> resumed = CliRunner.printed(CliRunner.run(train(parts, model, 11, 1)).assertOk().out(), 10);
        CliRunner.Result rest = CliRunner.run("train", "--resume", "latest", "--checkpoint-dir", parts.toString(),
                "--max-iterations", "24", "--threads", "3", "--sample-every", "6", "--sample-length", "20",
                "--log-every", "3", "--eval-every", "5", "--checkpoint-every", "10").assertOk();
        resumed.addAll(CliRunner.printed(rest.out(), -1));
        assertEquals(expected, resumed);
        Exact.assertSameRun(CheckpointFile.read(whole.resolve("latest.npz")),
                CheckpointFile.read(parts.resolve("latest.npz")));
    }

    @Test
    void aThreadCountOutsideOneTo1024IsOneLineAndExitCode2() throws IOException {
        Path ck = dir.resolve("ck");
        for (String bad : new String[] {"0", "-3", "1025"}) {
            CliRunner.run("train", text.toString(), "--checkpoint-dir", ck.toString(), "--threads", bad)
                    .assertOneLineError(2, "--threads must be 1 to 1024, got " + bad);
        }
        CliRunner.run("train", text.toString(), "--checkpoint-dir", ck.toString(), "--threads", "many")
                .assertOneLineError(2, "--threads");
        CliRunner.run(train(ck, "", 3, 2)).assertOk();
        Path checkpoint = ck.resolve("latest.npz");
        CliRunner.run("score", "--threads", "0", checkpoint.toString(), text.toString())
                .assertOneLineError(2, "--threads must be 1 to 1024, got 0");
        CliRunner.run("generate", checkpoint.toString(), "--threads", "2000")
                .assertOneLineError(2, "--threads must be 1 to 1024, got 2000");
        CliRunner.run("train", "--resume", "latest", "--checkpoint-dir", ck.toString(), "--threads", "0")
                .assertOneLineError(2, "--threads must be 1 to 1024, got 0");
    }

    @Test
    void scoreAndGenerateGiveTheSameResultOnAnyThreadCount() {
        Path ck = dir.resolve("ck");
        CliRunner.run(train(ck, "--cell lstm " + STACKED, 8, 2)).assertOk();
        String checkpoint = ck.resolve("latest.npz").toString();
        String score = CliRunner.run("score", "--threads", "1", checkpoint, text.toString()).assertOk().out();
        String generated = CliRunner.run("generate", checkpoint, "--threads", "1", "--length", "60").assertOk().out();
        for (String n : new String[] {"2", "3"}) {
            assertEquals(score, CliRunner.run("score", "--threads", n, checkpoint, text.toString()).assertOk().out());
            assertEquals(generated, CliRunner.run("generate", checkpoint, "--threads", n, "--length", "60")
                    .assertOk().out());
        }
    }
}
