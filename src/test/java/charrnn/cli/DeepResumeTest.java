package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.checkpoint.CheckpointFile;
import charrnn.checkpoint.Checkpoint;
import charrnn.model.ParamSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stacked models: stop, resume, and get exactly what one uninterrupted run gives, to the last bit. */
class DeepResumeTest {
    // 280 characters in 3 streams of 93; with T = 5 all three wrap at iteration 18 (p = 90: 90 + 5 + 1 >= 93)
    static final String TEXT = "hello world, hello charrnn. ".repeat(10);
    static final int TOTAL = 40;

    @TempDir
    Path dir;
    Path text;

    @BeforeEach
    void writeText() throws IOException {
        text = Files.writeString(dir.resolve("text.txt"), TEXT, StandardCharsets.UTF_8);
    }

    private String[] train(Path checkpoints, String... more) {
        List<String> args = new ArrayList<>(List.of("train", text.toString(), "--seq-length", "5",
                "--hidden-size", "8", "--layers", "2", "--batch-size", "3", "--dropout", "0.3",
                "--sample-every", "7", "--sample-length", "20", "--log-every", "5", "--checkpoint-every", "10",
                "--checkpoint-dir", checkpoints.toString(), "--seed", "3",
                // a constant learning rate: the first part's --max-iterations is not the whole run's (the
                // schedule's resume is LearningRateDecayTest's)
                "--lr-decay", "0"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    // lstm and gru default to an embedding of the hidden size and the mean loss; the last column adds options
    @ParameterizedTest(name = "{0} {1} {2} {4}, stop after {3} of " + TOTAL)
    @CsvSource({
        "lstm, adam, float, 17, ''",      // the next windows wrap to the starts of the streams
        "lstm, adam, double, 19, ''",     // the stop falls just after the wrap
        "gru, rmsprop, float, 18, ''",
        "gru, adagrad, double, 25, ''",
        "rnn, adam, double, 18, ''",
        "lstm, adam, float, 17, --embedding-size 0 --loss sum",   // as every run before those options
        "rnn, adam, float, 19, --embedding-size 5 --loss mean",
        "gru, adam, float, 18, --embedding-size 3",
    })
    void stopAndResumeGivesTheSameRunBitForBit(String cell, String optimizer, String dtype, int stopAt,
                                               String options) throws IOException {
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        String[] model = concat(new String[] {"--cell", cell, "--optimizer", optimizer, "--dtype", dtype},
                options.isBlank() ? new String[0] : options.split(" "));
        CliRunner.Result whole = CliRunner.run(train(one, concat(model, "--max-iterations", "" + TOTAL))).assertOk();
        CliRunner.Result first = CliRunner.run(train(two, concat(model, "--max-iterations", "" + stopAt)))
                .assertOk();
        CliRunner.Result rest = CliRunner.run("train", "--resume", "latest", "--checkpoint-dir", two.toString(),
                "--sample-every", "7", "--sample-length", "20", "--log-every", "5", "--checkpoint-every", "10",
                "--max-iterations", "" + TOTAL).assertOk();
        assertTrue(rest.out().contains("resuming " + two.resolve("latest.npz") + " at iteration " + stopAt), rest.out());

        List<String> expected = CliRunner.printed(whole.out(), -1);
        List<String> resumed = CliRunner.printed(first.out(), stopAt - 1);
        resumed.addAll(CliRunner.printed(rest.out(), -1));
        assertEquals(expected, resumed);

        Checkpoint a = (Checkpoint) CheckpointFile.read(one.resolve("latest.npz"));
        Checkpoint b = (Checkpoint) CheckpointFile.read(two.resolve("latest.npz"));
        assertEquals(TOTAL, b.meta().iteration());
        assertSameBits("", a.params(), b.params());
        for (String slot : a.optimizer().state().keySet()) {
            assertSameBits(slot + ".", a.optimizer().state().get(slot), b.optimizer().state().get(slot));
        }
        for (int k = 0; k < 2; k++) {
            CliRunner.assertBitEqual("h.l" + k, a.state().h[k], b.state().h[k]);
            if (a.state().c != null) {
                CliRunner.assertBitEqual("c.l" + k, a.state().c[k], b.state().c[k]);
            }
        }
        assertEquals(a.meta(), b.meta());
        assertEquals(a.deep().optimizer(), b.deep().optimizer());
        assertEquals(a.deep().optimizerStep(), b.deep().optimizerStep());
        assertEquals(TOTAL, b.deep().optimizerStep());
        assertEquals(a.deep().dropoutRngState(), b.deep().dropoutRngState());
        assertArrayEquals(a.deep().byteOffsets(), b.deep().byteOffsets());
        int e = options.contains("--embedding-size") ? Integer.parseInt(options.replaceAll(".*--embedding-size (\\d+).*", "$1"))
                : cell.equals("rnn") ? 0 : 8;
        assertEquals(e, b.deep().embeddingSize());
        assertEquals(e > 0, b.params().names().contains("emb"));
        assertEquals(0.0, b.deep().lrDecay());
        assertEquals(options.contains("--loss sum") || (cell.equals("rnn") && !options.contains("--loss mean"))
                ? "sum" : "mean", b.deep().loss().toString());
    }

    @Test
    void aConflictingModelIsRefusedOnResume() {
        Path ck = dir.resolve("ck");
        CliRunner.run(train(ck, "--cell", "lstm", "--optimizer", "adagrad", "--max-iterations", "3")).assertOk();
        String[] resume = {"train", "--resume", "latest", "--checkpoint-dir", ck.toString(), "--max-iterations", "5"};
        CliRunner.run(concat(resume, "--cell", "gru")).assertOneLineError(2, "--cell gru conflicts with the checkpoint's lstm");
        CliRunner.run(concat(resume, "--layers", "3")).assertOneLineError(2, "--layers 3 conflicts with the checkpoint's 2");
        CliRunner.run(concat(resume, "--batch-size", "2"))
                .assertOneLineError(2, "--batch-size 2 conflicts with the checkpoint's 3");
        CliRunner.run(concat(resume, "--optimizer", "adam"))
                .assertOneLineError(2, "--optimizer adam conflicts with the checkpoint's adagrad");
        CliRunner.run(concat(resume, "--embedding-size", "4"))
                .assertOneLineError(2, "--embedding-size 4 conflicts with the checkpoint's 8");
        CliRunner.run(concat(resume, "--loss", "sum"))
                .assertOneLineError(2, "--loss sum conflicts with the checkpoint's mean");
        CliRunner.run(train(dir.resolve("default"), "--cell", "gru", "--max-iterations", "1")).assertOk()
                .out().lines().filter(l -> l.startsWith("model: ")).forEach(l -> assertTrue(l.contains(", adam lr 0.002"), l));
        CliRunner.run(concat(resume, "--cell", "lstm", "--layers", "2")).assertOk();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void assertSameBits(String prefix, ParamSet expected, ParamSet actual) {
        for (String name : expected.names()) {
            CliRunner.assertBitEqual(prefix + name, expected.get(name), actual.get(name));
        }
    }
}
