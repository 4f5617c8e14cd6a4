package charrnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import charrnn.api.Training;
import charrnn.api.TrainingListener;
import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointFile;
import charrnn.model.ParamSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * What the Spark tests share: a small corpus, Spark's local mode, a run through {@link SparkTraining} or
 * through charrnn's own {@link Training}, and comparisons of checkpoints by their raw values.
 */
final class Runs {
    private Runs() {
    }

    /** The first {@code chars} characters of the repository's corpus (Moby-Dick), in {@code dir}. */
    static Path corpus(Path dir, int chars) throws IOException {
        Path repo = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        String text = Files.readString(repo.resolve("corpus/input.txt"), StandardCharsets.UTF_8);
        Path file = dir.resolve("text.txt");
        Files.writeString(file, text.substring(0, text.offsetByCodePoints(0, chars)), StandardCharsets.UTF_8);
        return file;
    }

    /** Local mode with {@code master} (local[2], or local[2,2] for one retry per task), no UI. */
    static SparkConf conf(String master) {
        return new SparkConf().setMaster(master).setAppName("charrnn-test")
                .set("spark.driver.host", "localhost")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
    }

    /** A run's record: each iteration's loss per character, each held-out score, and its last checkpoint. */
    record Run(List<Double> losses, List<Double> validations, Path checkpoint, String out, String err) {
    }

    /** Records a run's losses and held-out scores. */
    static final class Recorder implements TrainingListener {
        final List<Double> losses = new ArrayList<>();
        final List<Double> validations = new ArrayList<>();

        @Override
        public void onIteration(long iteration, double lossPerChar) {
            losses.add(lossPerChar);
        }

        @Override
        public void onValidation(long iteration, double natsPerChar) {
            validations.add(natsPerChar);
        }
    }

    /**
     * {@code settings} on Spark with W workers averaging every K iterations (no samples unless set), its
     * files in {@code dir}.
     */
    static Run spark(SparkConf conf, UnaryOperator<Training.Builder> settings, Path corpus, int workers, int k,
                     Path dir) throws IOException {
        return spark(conf, settings, corpus, workers, k, SecondMoment.RESCALED, dir);
    }

    /** The same, with Adam's v after each round as {@code moment} sets it. */
    static Run spark(SparkConf conf, UnaryOperator<Training.Builder> settings, Path corpus, int workers, int k,
                     SecondMoment moment, Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Recorder recorder = new Recorder();
        Path last;
        try (JavaSparkContext sc = new JavaSparkContext(conf);
             PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            Training.Builder b = settings.apply(Training.builder().sampleEvery(0)).checkpointDir(dir).output(o, e);
            SparkTraining training = new SparkTraining(sc, b, corpus == null ? null : corpus.toString(), workers, k,
                    moment, o, e);
            training.listen(recorder);
            last = training.run();
        }
        return new Run(recorder.losses, recorder.validations, last, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    /** {@code settings} with charrnn's own training loop (no samples unless set), its files in {@code dir}. */
    static Run single(UnaryOperator<Training.Builder> settings, Path corpus, Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Recorder recorder = new Recorder();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        Training.Builder b = settings.apply(Training.builder().sampleEvery(0)).checkpointDir(dir).output(o, o)
                .listener(recorder);
        if (corpus != null) {
            b.corpus(corpus);
        }
        var result = b.build().run();
        return new Run(recorder.losses, recorder.validations, result.checkpoint(), out.toString(StandardCharsets.UTF_8),
                "");
    }

    /**
     * Two checkpoints hold the same run: the same raw values (bits, through {@link Block}) of every parameter,
     * optimizer slot and stream state, the same optimizer step, iteration, smooth loss (bits), random and
     * dropout streams and place in the corpus.
     */
    static void assertSameCheckpoint(Path expected, Path actual) throws IOException {
        Checkpoint a = CheckpointFile.read(expected);
        Checkpoint b = CheckpointFile.read(actual);
        assertSameArrays("parameter", a.params(), b.params());
        assertEquals(a.optimizer().state().keySet(), b.optimizer().state().keySet());
        for (String slot : a.optimizer().state().keySet()) {
            assertSameArrays(slot, a.optimizer().state().get(slot), b.optimizer().state().get(slot));
        }
        assertEquals(a.optimizer().step(), b.optimizer().step(), "optimizer step");
        for (int k = 0; k < a.state().h.length; k++) {
            assertSameValues("h" + k, Block.of(a.state().h[k]), Block.of(b.state().h[k]));
            if (a.state().c != null) {
                assertSameValues("c" + k, Block.of(a.state().c[k]), Block.of(b.state().c[k]));
            }
        }
        assertEquals(a.meta().iteration(), b.meta().iteration(), "iteration");
        assertEquals(Double.doubleToLongBits(a.meta().smoothLoss()), Double.doubleToLongBits(b.meta().smoothLoss()),
                "smooth loss " + a.meta().smoothLoss() + " vs " + b.meta().smoothLoss());
        assertEquals(a.meta().rngState(), b.meta().rngState(), "random stream");
        assertEquals(a.deep().dropoutRngState(), b.deep().dropoutRngState(), "dropout stream");
        assertEquals(a.meta().corpus().position(), b.meta().corpus().position(), "position");
        assertArrayEquals(a.deep().byteOffsets(), b.deep().byteOffsets(), "streams' byte offsets");
        assertEquals(a.meta().corpus().fingerprint(), b.meta().corpus().fingerprint(), "corpus");
    }

    static void assertSameArrays(String what, ParamSet a, ParamSet b) {
        assertEquals(a.names(), b.names());
        for (String name : a.names()) {
            assertSameValues(what + " " + name, Block.of(a.get(name)), Block.of(b.get(name)));
        }
    }

    /** The same values bit for bit (Arrays.equals on float[] and double[] compares the bits). */
    static void assertSameValues(String what, Block a, Block b) {
        assertEquals(a.f != null, b.f != null, what + ": precision");
        boolean same = a.f != null ? java.util.Arrays.equals(a.f, b.f) : java.util.Arrays.equals(a.d, b.d);
        assertEquals(true, same, what + ": not the same bits");
    }

    /** Each loss the same bits. */
    static void assertSameLosses(List<Double> expected, List<Double> actual) {
        assertEquals(expected.size(), actual.size(), "iterations");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Double.doubleToLongBits(expected.get(i)), Double.doubleToLongBits(actual.get(i)),
                    "loss of iteration " + i + ": " + expected.get(i) + " vs " + actual.get(i));
        }
    }
}
