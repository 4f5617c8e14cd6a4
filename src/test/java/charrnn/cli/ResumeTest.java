package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointFile;
import charrnn.checkpoint.CheckpointMeta;
import charrnn.checkpoint.ModelMeta;
import charrnn.corpus.Vocabulary;
import charrnn.model.Fixture;
import charrnn.model.ParamSet;
import charrnn.model.Precision;
import charrnn.model.StreamState;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import com.google.gson.JsonObject;
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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Stop, resume, and get exactly what one uninterrupted run gives, to the last bit, for every model. */
class ResumeTest {
    // 280 characters; with T = 5 one stream wraps before iteration 55 (p = 275: 275 + 5 + 1 >= 280), and
    // three streams of 93 all wrap at iteration 18 (p = 90: 90 + 5 + 1 >= 93)
    static final String TEXT = "hello world, hello charrnn. ".repeat(10);
    // a stacked model's options: lstm and gru default to an embedding of the hidden size and the mean loss; a
    // constant learning rate, as the first part's --max-iterations is not the whole run's (the schedule's
    // resume is LearningRateDecayTest's)
    static final String STACKED = "--layers 2 --batch-size 3 --dropout 0.3 --lr-decay 0 ";

    @TempDir
    Path dir;
    Path text;

    @BeforeEach
    void writeText() throws IOException {
        text = Files.writeString(dir.resolve("text.txt"), TEXT, StandardCharsets.UTF_8);
    }

    private String[] train(Path checkpoints, String... more) {
        List<String> args = new ArrayList<>(List.of("train", text.toString(), "--seq-length", "5",
                "--sample-length", "20", "--checkpoint-dir", checkpoints.toString(), "--seed", "3"));
        args.addAll(List.of(more));
        String[] defaults = {"--hidden-size", "8", "--sample-every", "10", "--log-every", "10",
            "--checkpoint-every", "40"};
        for (int i = 0; i < defaults.length; i += 2) {
            if (!args.contains(defaults[i])) {
                args.addAll(List.of(defaults[i], defaults[i + 1]));
            }
        }
        return args.toArray(String[]::new);
    }

    /** Every model, one harness: a run stopped and resumed prints and holds what one whole run does. */
    @ParameterizedTest(name = "{0}: stop after {2} of {3}")
    @CsvSource(delimiter = '|', value = {
        // min-char-rnn's configuration
        "rnn double         | --dtype double               | 55 | 130 | 0 | sum",  // the next window wraps
        "rnn double         | --dtype double               | 56 | 130 | 0 | sum",  // the stop falls just after it
        "rnn double         | --dtype double               | 97 | 130 | 0 | sum",
        "rnn float          | --dtype float                | 55 | 130 | 0 | sum",
        "rnn double H=260   | --hidden-size 260            | 56 | 130 | 0 | sum",  // the kernel's two threads
        // stacked models
        "lstm adam float    | --cell lstm --optimizer adam --dtype float | 17 | 40 | 8 | mean",
        "lstm adam double   | --cell lstm --optimizer adam --dtype double | 19 | 40 | 8 | mean",
        "gru rmsprop float  | --cell gru --optimizer rmsprop --dtype float | 18 | 40 | 8 | mean",
        "gru adagrad double | --cell gru --optimizer adagrad --dtype double | 25 | 40 | 8 | mean",
        "rnn adam double    | --cell rnn --optimizer adam --dtype double | 18 | 40 | 0 | sum",
        // as every run before those options
        "lstm no embedding  | --cell lstm --optimizer adam --embedding-size 0 --loss sum | 17 | 40 | 0 | sum",
        "rnn embedding      | --cell rnn --optimizer adam --dtype float --embedding-size 5 --loss mean | 19 | 40 | 5 | mean",
        "gru embedding      | --cell gru --optimizer adam --embedding-size 3 | 18 | 40 | 3 | mean",
    })
    void stopAndResumeGivesTheSameRunBitForBit(String name, String model, int stopAt, int total, int embedding,
                                               String loss) throws IOException {
        boolean stacked = model.contains("--cell");
        String[] options = ((stacked ? STACKED : "") + model).strip().split(" +");
        String[] logging = stacked
                ? new String[] {"--sample-every", "7", "--log-every", "5", "--checkpoint-every", "10"}
                : new String[] {"--sample-every", "10", "--log-every", "10", "--checkpoint-every", "40"};
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        CliRunner.Result whole = CliRunner.run(train(one, concat(concat(options, logging), "--max-iterations",
                "" + total))).assertOk();
        CliRunner.Result first = CliRunner.run(train(two, concat(concat(options, logging), "--max-iterations",
                "" + stopAt))).assertOk();
        CliRunner.Result rest = CliRunner.run(concat(concat(new String[] {"train", "--resume", "latest",
                "--checkpoint-dir", two.toString(), "--sample-length", "20"}, logging), "--max-iterations",
                "" + total)).assertOk();
        assertTrue(rest.out().contains("resuming " + two.resolve("latest.npz") + " at iteration " + stopAt), rest.out());

        // the same samples and losses, line for line
        List<String> expected = CliRunner.printed(whole.out(), -1);
        List<String> resumed = CliRunner.printed(first.out(), stopAt - 1);
        resumed.addAll(CliRunner.printed(rest.out(), -1));
        assertEquals(expected, resumed);

        // the same parameters, optimizer state, carried state and position, to the last bit
        Checkpoint a = CheckpointFile.read(one.resolve("latest.npz"));
        Checkpoint b = CheckpointFile.read(two.resolve("latest.npz"));
        assertEquals(total, b.meta().iteration());
        charrnn.testing.Exact.assertSameRun(a, b);
        assertEquals(a.meta(), b.meta());
        assertEquals(a.deep().optimizer(), b.deep().optimizer());
        // (a version 1 file keeps no step count: Adagrad needs none)
        assertEquals(stacked ? total : 0, b.deep().optimizerStep());
        assertEquals(a.deep().dropoutRngState(), b.deep().dropoutRngState());
        assertArrayEquals(a.deep().byteOffsets(), b.deep().byteOffsets());
        assertEquals(embedding, b.deep().embeddingSize());
        assertEquals(embedding > 0, b.params().names().contains("emb"));
        assertEquals(loss, b.deep().loss().toString());
    }

    @Test
    void aConflictingStackedModelIsRefusedOnResume() {
        Path ck = dir.resolve("ck");
        String[] lstm = (STACKED + "--cell lstm --optimizer adagrad --max-iterations 3").split(" ");
        CliRunner.run(train(ck, lstm)).assertOk();
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

    /**
     * A resumed run may change its learning rate, schedule, clip and dropout: it says so in one line, its next
     * update uses the new rate (Adam's step is proportional to it: in float64, five times the rate moves every
     * parameter five times as far, within 1e-12), and its checkpoint records the new values.
     */
    @Test
    void aResumedRunTakesANewLearningRateAndDropoutAndSaysSo() throws IOException {
        Path ck = dir.resolve("ck");
        CliRunner.run(train(ck, "--cell", "lstm", "--dtype", "double", "--lr-decay", "0", "--max-iterations", "20",
                "--learning-rate", "0.002")).assertOk();
        Checkpoint start = CheckpointFile.read(ck.resolve("latest.npz"));
        Path same = dir.resolve("same");
        Path faster = dir.resolve("faster");
        copy(ck, same);
        copy(ck, faster);
        String sameOut = CliRunner.run("train", "--resume", "latest", "--checkpoint-dir", same.toString(),
                "--max-iterations", "21").assertOk().out();
        assertTrue(sameOut.lines().noneMatch(l -> l.startsWith("changed on resume")), sameOut);
        String fasterOut = CliRunner.run("train", "--resume", "latest", "--checkpoint-dir", faster.toString(),
                "--max-iterations", "21", "--learning-rate", "0.01").assertOk().out();
        assertTrue(fasterOut.contains("\nchanged on resume: --learning-rate 0.002 → 0.01\n"), fasterOut);

        Checkpoint a = CheckpointFile.read(same.resolve("latest.npz"));
        Checkpoint b = CheckpointFile.read(faster.resolve("latest.npz"));
        assertEquals(0.01, b.meta().learningRate());
        assertEquals(0.01, b.deep().optimizer().learningRate());
        double moved = 0;
        for (String name : start.params().names()) {
            double[] before = charrnn.testing.Exact.raw(start.params().get(name));
            double[] slow = charrnn.testing.Exact.raw(a.params().get(name));
            double[] fast = charrnn.testing.Exact.raw(b.params().get(name));
            for (int i = 0; i < before.length; i++) {
                assertEquals(5 * (slow[i] - before[i]), fast[i] - before[i], 1e-12, name + "[" + i + "]");
                moved = Math.max(moved, Math.abs(fast[i] - before[i]));
            }
        }
        assertTrue(moved > 1e-3, "the update moved the parameters: " + moved);

        Path dropped = dir.resolve("dropped");
        copy(ck, dropped);
        String droppedOut = CliRunner.run("train", "--resume", "latest", "--checkpoint-dir", dropped.toString(),
                "--max-iterations", "25", "--dropout", "0.25", "--clip", "1").assertOk().out();
        assertTrue(droppedOut.contains("\nchanged on resume: --clip 5 → 1, --dropout 0 → 0.25\n"), droppedOut);
        Checkpoint c = CheckpointFile.read(dropped.resolve("latest.npz"));
        assertEquals(0.25, c.deep().dropout());
        assertEquals(1.0, c.meta().clip());
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void hyperparametersComeFromTheCheckpoint() {
        Path ck = dir.resolve("ck");
        CliRunner.run(train(ck, "--max-iterations", "20")).assertOk();
        CliRunner.run("train", "--resume", "latest", "--checkpoint-dir", ck.toString(), "--hidden-size", "16")
                .assertOneLineError(2, "--hidden-size 16 conflicts with the checkpoint's 8");
        CliRunner.run("train", "--resume", "latest", "--checkpoint-dir", ck.toString(), "--seq-length", "6")
                .assertOneLineError(2, "--seq-length 6 conflicts with the checkpoint's 5");
        CliRunner.run("train", "--resume", "latest", "--checkpoint-dir", ck.toString(), "--dtype", "float")
                .assertOneLineError(2, "--dtype float conflicts with the checkpoint's double");
        // the same values are no conflict
        CliRunner.run("train", "--resume", "latest", "--checkpoint-dir", ck.toString(), "--hidden-size", "8",
                "--max-iterations", "25").assertOk();
    }

    @Test
    void maxIterationsCountsFromTheStartOfTraining() throws IOException {
        Path ck = dir.resolve("ck");
        CliRunner.run(train(ck, "--max-iterations", "30")).assertOk();
        CliRunner.Result r = CliRunner.run("train", "--resume", "latest", "--checkpoint-dir", ck.toString(),
                "--max-iterations", "45", "--log-every", "1", "--sample-every", "0").assertOk();
        assertEquals(15, r.out().lines().filter(l -> l.startsWith("iter ")).count(), r.out());
        assertEquals(45, CheckpointFile.read(ck.resolve("latest.npz")).meta().iteration());

        CliRunner.Result nothing = CliRunner.run("train", "--resume", "latest", "--checkpoint-dir", ck.toString(),
                "--max-iterations", "45");
        assertEquals(0, nothing.code());
        assertTrue(nothing.err().contains("is at iteration 45 already; --max-iterations 45 leaves nothing to do"),
                nothing.err());
    }

    @Test
    void aDifferentCorpusIsRefusedUnlessTheUserSaysItChanged() throws IOException {
        Path ck = dir.resolve("ck");
        CliRunner.run(train(ck, "--max-iterations", "20")).assertOk();
        Path other = Files.writeString(dir.resolve("other.txt"), "hello charrnn, hello world. ".repeat(12));
        CliRunner.run("train", other.toString(), "--resume", "latest", "--checkpoint-dir", ck.toString())
                .assertOneLineError(1, "is not the corpus " + ck.resolve("latest.npz") + " was trained on (it has 336 "
                        + "bytes, the checkpoint's corpus had 280); add --corpus-changed");
        Files.writeString(text, TEXT.replace("world", "wrold"));   // same size, other content
        CliRunner.run("train", "--resume", "latest", "--checkpoint-dir", ck.toString())
                .assertOneLineError(1, "its first or last MiB differs");

        CliRunner.Result r = CliRunner.run("train", other.toString(), "--resume", "latest", "--checkpoint-dir",
                ck.toString(), "--corpus-changed", "--max-iterations", "30").assertOk();
        assertTrue(r.out().contains("resuming " + ck.resolve("latest.npz") + " at iteration 20, from the start of "
                + other), r.out());
        assertEquals(30, CheckpointFile.read(ck.resolve("latest.npz")).meta().iteration());

        Path foreign = Files.writeString(dir.resolve("foreign.txt"), "hello Zebra world ".repeat(5));
        CliRunner.run("train", foreign.toString(), "--resume", "latest", "--checkpoint-dir", ck.toString(),
                "--corpus-changed").assertOneLineError(1, "has the character 'Z' (U+005A), which is not in the "
                + "vocabulary of");
        CliRunner.run("train", other.toString(), "--corpus-changed")
                .assertOneLineError(2, "--corpus-changed goes with --resume");
    }

    @Test
    void iterationZeroStartsFromTheGivenWeightsExactlyAsAFreshRun() throws IOException {
        // the fixture's deterministic initial weights in a checkpoint with iteration 0, no corpus and no rng:
        // 50 iterations from it must reach the fixture's reference parameters
        Fixture fixture = Fixture.load("minchar_fixture_A.json");
        Path fixtureText = Files.writeString(dir.resolve("moby.txt"), fixture.root.get("text").getAsString(),
                StandardCharsets.UTF_8);
        ParamSet init = Fixture.params(fixture.get("init"));
        Vocabulary vocabulary = new Vocabulary(Fixture.ints(fixture.root.get("vocab_code_points")));
        CheckpointMeta meta = new CheckpointMeta(vocabulary.asStrings(), fixture.hyper("H"), fixture.hyper("T"), 0.1,
                5.0, Precision.DOUBLE, 0, 123.0, null, null, 0.0);
        Path start = dir.resolve("init.npz");
        StreamState state = StreamState.zeros(init.spec(), 1);
        state.h[0].assign(Nd4j.rand(DataType.DOUBLE, 1, fixture.hyper("H")));
        CheckpointFile.save(new Checkpoint(init, Optimizer.create(OptimizerConfig.of(OptimizerConfig.Kind.ADAGRAD,
                0.1), init), state, meta, ModelMeta.minCharConfiguration(0.1, null)), start);

        Path ck = dir.resolve("ck");
        CliRunner.Result r = CliRunner.run("train", fixtureText.toString(), "--resume", start.toString(),
                "--checkpoint-dir", ck.toString(), "--max-iterations", "50", "--sample-every", "0").assertOk();
        assertTrue(r.out().contains("starting from the weights in " + start), r.out());

        JsonObject after = fixture.get("after");
        Checkpoint trained = CheckpointFile.read(ck.resolve("latest.npz"));
        for (int i = 0; i < Fixture.MIN_CHAR_NAMES.size(); i++) {
            String name = Fixture.MIN_CHAR_NAMES.get(i);
            Fixture.assertCloseAnyShape(name, Fixture.array(after.getAsJsonObject("params").get(name)),
                    trained.params().get(Fixture.MODEL_NAMES.get(i)), 1e-9, 1e-13);
        }
        charrnn.testing.Close.assertClose("smooth loss", after.get("smooth_loss").getAsDouble(), trained.meta().smoothLoss(), 1e-9);
        assertEquals(after.get("p_next").getAsLong(), trained.meta().corpus().position());
    }

    @Test
    void badCheckpointsGetOneLine() throws IOException {
        CliRunner.run("train", text.toString(), "--resume", dir.resolve("nope.npz").toString())
                .assertOneLineError(1, "nope.npz: no such checkpoint");
        Path junk = Files.writeString(dir.resolve("junk.npz"), "not a zip");
        CliRunner.run("train", text.toString(), "--resume", junk.toString())
                .assertOneLineError(1, "not a readable zip archive");
        CliRunner.run("generate", junk.toString()).assertOneLineError(1, "not a readable zip archive");
    }
}
