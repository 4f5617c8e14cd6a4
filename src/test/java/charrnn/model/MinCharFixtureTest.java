package charrnn.model;

import static charrnn.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import charrnn.corpus.Corpus;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import charrnn.train.TrainConfig;
import charrnn.train.Trainer;
import charrnn.train.TrainingStep;
import charrnn.util.Rng;
import charrnn.util.Threads;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What only fixtures/minchar_fixture_A.json (min-char-rnn's rules: Moby-Dick's first 2000 characters, H=16,
 * T=25, V=50) checks, beyond {@link FixtureParityTest}'s harness: the corpus scan, a window whose gradients
 * are clipped (through a network's own training step), and the trainer's whole loop (its window positions,
 * smooth loss and wrap) after 50 and 100 iterations.
 */
class MinCharFixtureTest {
    // 1e-9 relative, as the issue asks; the absolute floor only matters for entries that are ~0
    static final double RTOL = 1e-9;
    static final double ATOL = 1e-13;
    static final List<String> PARAMS = Fixture.MIN_CHAR_NAMES;     // the fixture's names
    static final List<String> MODEL = Fixture.MODEL_NAMES;         // the same arrays' names in the model

    static Fixture fixture;
    static int hiddenSize;
    static int seqLength;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        fixture = Fixture.load("minchar_fixture_A.json");
        hiddenSize = fixture.hyper("H");
        seqLength = fixture.hyper("T");
    }

    @Test
    void vocabularyIsSortedCodePointsOfTheText() throws IOException {
        Corpus corpus = Corpus.scan(writeText());
        assertArrayEquals(Fixture.ints(fixture.root.get("vocab_code_points")), corpus.vocabulary().codePoints());
        assertEquals(fixture.root.getAsJsonObject("source").get("n_code_points").getAsLong(), corpus.codePoints());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void firstWindowWithLargeWeightsExercisesClipping(Engine kind) {
        JsonObject clipCase = fixture.get("clip_case");
        assertEquals(15, clipCase.getAsJsonObject("n_clipped_entries").get("dWhh").getAsInt(),
                "the fixture's clip case clips some dWhh entries");
        // the same deterministic init at scale 1.0: Wxh[i][j] = sin(1 + i*V + j), etc.
        int v = fixture.hyper("V");
        ParamSet params = Fixture.minCharParams(sinMatrix(1, hiddenSize, v), sinMatrix(2, hiddenSize, hiddenSize),
                sinMatrix(3, v, hiddenSize), Nd4j.zeros(DataType.DOUBLE, hiddenSize, 1),
                Nd4j.zeros(DataType.DOUBLE, v, 1));
        checkWindow(kind, clipCase, params);
    }

    /** One window through the network of that kind (fast: the vanilla kernel; reference: ND4J operations). */
    private void checkWindow(Engine kind, JsonObject expected, ParamSet params) {
        int[] inputs = Fixture.ints(expected.get("inputs"));
        int[] targets = Fixture.ints(expected.get("targets"));
        int[][] window = new int[1][seqLength + 1];
        System.arraycopy(inputs, 0, window[0], 0, seqLength);
        window[0][seqLength] = targets[seqLength - 1];
        ParamSet grads = params.zerosLike();
        StreamState state = StreamState.zeros(params.spec(), 1);
        try (Network rnn = Network.create(kind, params, 1, seqLength, 0, Threads.available())) {
            double loss = rnn.forward(window, state, null);
            rnn.backward(grads);
            assertClose("loss", expected.get("loss").getAsDouble(), loss, RTOL);
        }
        Fixture.assertCloseAnyShape("h_last", Fixture.array(expected.get("h_last")), state.h[0], RTOL, ATOL);
        JsonObject unclipped = expected.getAsJsonObject("grads_unclipped");
        for (int i = 0; i < PARAMS.size(); i++) {
            Fixture.assertCloseAnyShape("d" + PARAMS.get(i) + " before clipping",
                    Fixture.array(unclipped.get("d" + PARAMS.get(i))), grads.get(MODEL.get(i)), RTOL, ATOL);
        }
        // clipping through the network's own training step, on copies so the parameters are kept
        ParamSet copy = params.copy();
        try (Network rnn = Network.create(kind, copy, 1, seqLength, 0, Threads.available())) {
            TrainingStep step = new TrainingStep(rnn, Optimizer.create(OptimizerConfig.of(OptimizerConfig.Kind.ADAGRAD,
                    0.1), copy), StreamState.zeros(params.spec(), 1), 5.0, null);
            step.train(window);
            grads = step.grads();
        }
        JsonObject clipped = expected.getAsJsonObject("grads");
        for (int i = 0; i < PARAMS.size(); i++) {
            Fixture.assertCloseAnyShape("d" + PARAMS.get(i), Fixture.array(clipped.get("d" + PARAMS.get(i))),
                    grads.get(MODEL.get(i)), RTOL, ATOL);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void after50AdagradIterations(Engine kind) throws IOException {
        JsonObject after = fixture.get("after");
        Trainer trainer = train(kind, after.get("n_iters").getAsInt());

        assertParams(after.getAsJsonObject("params"), trainer.trainingStep().params());
        assertParams(after.getAsJsonObject("adagrad_mem"), trainer.trainingStep().optimizer().state().get("mem"));
        Fixture.assertCloseAnyShape("hprev", Fixture.array(after.get("hprev")), trainer.trainingStep().state().h[0],
                RTOL, ATOL);
        assertClose("smooth loss", after.get("smooth_loss").getAsDouble(), trainer.smoothLoss(), RTOL);
        assertEquals(after.get("p_next").getAsLong(), trainer.position(), "p of the next window");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void after100IterationsAcrossAWrapOfTheText(Engine kind) throws IOException {
        JsonObject afterWrap = fixture.get("after_wrap");
        assertEquals(1, afterWrap.getAsJsonArray("wraps_at_n").size(), "the fixture wraps once");
        Trainer trainer = train(kind, afterWrap.get("n_iters").getAsInt());

        assertParams(afterWrap.getAsJsonObject("params"), trainer.trainingStep().params());
        Fixture.assertCloseAnyShape("hprev", Fixture.array(afterWrap.get("hprev")),
                trainer.trainingStep().state().h[0], RTOL, ATOL);
        assertClose("smooth loss", afterWrap.get("smooth_loss").getAsDouble(), trainer.smoothLoss(), RTOL);
        assertEquals(afterWrap.get("p_next").getAsLong(), trainer.position(), "p of the next window");
    }

    private Trainer train(Engine kind, int iterations) throws IOException {
        TrainConfig config = new TrainConfig(hiddenSize, seqLength, 0.1, 5.0, 0, 200, 0, iterations, 1,
                Precision.DOUBLE, kind, 0.0, 1000);
        Corpus corpus = Corpus.scan(writeText());
        Trainer trainer = Trainer.start(config, corpus, Fixture.params(fixture.get("init")), config.optimizer(),
                corpus.vocabulary(), new Rng(1), new PrintStream(OutputStream.nullOutputStream()));
        trainer.run();
        assertEquals(iterations, trainer.iteration());
        return trainer;
    }

    /** The fixture's arrays by min-char-rnn's names against the model's (parameters or Adagrad memories). */
    private static void assertParams(JsonObject expected, ParamSet actual) {
        for (int i = 0; i < PARAMS.size(); i++) {
            Fixture.assertCloseAnyShape(PARAMS.get(i), Fixture.array(expected.get(PARAMS.get(i))),
                    actual.get(MODEL.get(i)), RTOL, ATOL);
        }
    }

    private Path writeText() throws IOException {
        Path file = dir.resolve("text.txt");
        Files.writeString(file, fixture.root.get("text").getAsString(), StandardCharsets.UTF_8);
        return file;
    }

    /** M[i][j] = sin(offset + i*cols + j), the fixtures' deterministic init at scale 1. */
    private static INDArray sinMatrix(int offset, int rows, int cols) {
        double[] m = new double[rows * cols];
        for (int k = 0; k < m.length; k++) {
            m[k] = Math.sin(offset + k);
        }
        return Nd4j.create(m, new long[] {rows, cols}, DataType.DOUBLE);
    }
}
