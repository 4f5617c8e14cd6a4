package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.optim.Clip;
import charrnn.optim.LossNormalization;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import charrnn.testing.Close;
import charrnn.testing.Exact;
import charrnn.testing.RandomWindows;
import charrnn.train.TrainingStep;
import charrnn.util.Rng;
import charrnn.util.Threads;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast engine against the reference ({@link ReferenceNetwork}): min-char-rnn's configuration on the
 * vanilla kernel ({@link VanillaNetwork}: loss, gradients, hidden state, update and sampling step, and its
 * fused clip + Adagrad against the optimizer package's rules, bit for bit), and every cell on the fast
 * stacked network ({@link FastNetwork}) in float32 with layers, streams, dropout and Adam.
 */
class EngineAgreementTest {
    static final int V = 11;
    static final int T = 9;
    static final int STACKED_B = 3;   // the stacked case: three streams of six characters
    static final int STACKED_T = 6;
    static final List<String> NAMES = Fixture.MODEL_NAMES;

    /** H = 300 takes the fast engine's two-thread paths (recurrence from H = 256, update from 65,536 parameters). */
    @ParameterizedTest(name = "{0}, H={2}: within {1} of the scale")
    @CsvSource({"DOUBLE, 1e-12, 24", "FLOAT, 1e-4, 24", "DOUBLE, 1e-12, 300", "FLOAT, 1e-4, 300"})
    void fastMatchesReference(Precision precision, double tolerance, int H) {
        assertTrue(H < VanillaKernel.SPLIT_HIDDEN_SIZE || (long) H * H >= VanillaKernel.SPLIT_PARAMETERS);
        Rng rng = new Rng(17);
        ParamSet start = randomParams(H, rng, precision);
        ParamSet fastParams = start.copy();
        ParamSet refParams = start.copy();
        VanillaNetwork fast = (VanillaNetwork) Network.create(Engine.FAST, fastParams, 1, T, 0, Threads.available());
        Network ref = Network.create(Engine.REFERENCE, refParams, 1, T, 0, Threads.available());
        int[][] window = {{3, 1, 4, 1, 5, 9, 2, 6, 5, 3}};

        INDArray h0 = random(1, H, rng, 0.6).castTo(precision.dataType());
        StreamState sFast = state(start.spec(), h0);
        StreamState sRef = state(start.spec(), h0);
        ParamSet gFast = fastParams.zerosLike();
        ParamSet gRef = refParams.zerosLike();
        double lossFast = fast.forward(window, sFast, null);
        fast.backward(gFast);
        double lossRef = ref.forward(window, sRef, null);
        ref.backward(gRef);

        // the fast engine is deterministic: the same window from the same state gives the same bits
        ParamSet again = fastParams.zerosLike();
        StreamState sAgain = state(start.spec(), h0);
        assertEquals(lossFast, fast.forward(window, sAgain, null));
        fast.backward(again);
        Exact.assertSameArray("hprev again", sFast.h[0], sAgain.h[0]);
        for (String name : NAMES) {
            Exact.assertSameArray("d" + name + " again", gFast.get(name), again.get(name));
        }

        assertEquals(lossRef, lossFast, tolerance * Math.abs(lossRef), "loss");
        assertClose("hprev", sRef.h[0], sFast.h[0], tolerance);
        for (String name : NAMES) {
            assertClose("d" + name, gRef.get(name), gFast.get(name), tolerance);
        }
        double largest = gRef.all().stream().mapToDouble(g -> g.amaxNumber().doubleValue()).max().orElse(0);
        assertTrue(largest > 5, "some gradients are clipped below: largest " + largest);

        // the update from the same gradients (it divides by sqrt(d² + 1e-8), which magnifies any difference
        // in a near-zero gradient ten-thousandfold): the kernel's fused loop against Clip + the optimizer
        for (String name : NAMES) {
            gFast.get(name).assign(gRef.get(name));
        }
        Optimizer adagradFast = adagrad(fastParams);
        Optimizer adagradRef = adagrad(refParams);
        fast.kernel().clipAndUpdate(inKernelOrder(gFast), inKernelOrder(adagradFast.state().get("mem")), 0.1, 5.0);
        for (INDArray d : gRef.all()) {
            Clip.clip(d, 5.0);
        }
        adagradRef.update(refParams, gRef);
        for (String name : NAMES) {
            assertClose("updated " + name, refParams.get(name), fastParams.get(name), tolerance);
        }

        double[] logitsFast = new double[V];
        double[] logitsRef = new double[V];
        try (NetworkStepper f = new NetworkStepper(Engine.FAST, fastParams, Threads.available());
             NetworkStepper r = new NetworkStepper(Engine.REFERENCE, refParams, Threads.available())) {
            f.setState(sFast, 0);
            r.setState(sRef, 0);
            f.step(7, logitsFast);
            r.step(7, logitsRef);
        }
        assertClose("sampling step logits", Nd4j.createFromArray(logitsRef), Nd4j.createFromArray(logitsFast),
                tolerance);

        // the two-thread paths ran where this test says they do, and closing the network ends the thread
        VanillaKernel kernel = fast.kernel();
        assertEquals(H >= VanillaKernel.SPLIT_HIDDEN_SIZE, kernel.workerStarted(), "second thread started at H=" + H);
        assertEquals(H >= VanillaKernel.SPLIT_HIDDEN_SIZE, kernel.workerAlive());
        fast.close();
        assertFalse(kernel.workerAlive(), "the worker thread ended on close");
    }

    /**
     * The vanilla kernel's fused training step (Adagrad and clipping inside its backward pass, only the
     * columns of Wxh the inputs select, and from H = 256 dWhh in blocks beside the update) against the
     * general step of every network (forward, backward, {@link Clip}, the optimizer package's Adagrad):
     * the same bits after 40 iterations, in both precisions, with windows that leave most columns out.
     */
    @ParameterizedTest(name = "{0}, H={1}")
    @CsvSource({"DOUBLE, 24", "FLOAT, 24", "DOUBLE, 270", "FLOAT, 270"})
    void fusedStepGivesTheBitsOfTheGeneralStep(Precision precision, int H) {
        Rng rng = new Rng(23);
        ParamSet start = randomParams(H, rng, precision);
        ParamSet fused = start.copy();
        ParamSet general = start.copy();
        VanillaNetwork a = (VanillaNetwork) Network.create(Engine.FAST, fused, 1, T, 0, Threads.available());
        VanillaNetwork b = (VanillaNetwork) Network.create(Engine.FAST, general, 1, T, 0, Threads.available());
        Optimizer adagradA = adagrad(fused);
        Optimizer adagradB = adagrad(general);
        ParamSet gB = general.zerosLike();
        StreamState sA = StreamState.zeros(start.spec(), 1);
        StreamState sB = StreamState.zeros(start.spec(), 1);
        TrainingStep stepA = new TrainingStep(a, adagradA, sA, 5.0, null);
        int[][] window = new int[1][T + 1];
        for (int n = 0; n < 40; n++) {
            for (int t = 0; t <= T; t++) {
                window[0][t] = (int) (rng.nextDouble() * 4) * 3 % V;   // 4 of the 11 characters
            }
            double lossA = stepA.train(window);
            double lossB = b.forward(window, sB, null);
            b.backward(gB);
            for (INDArray d : gB.all()) {
                Clip.clip(d, 5.0);
            }
            adagradB.update(general, gB);
            assertEquals(lossB, lossA, "loss at iteration " + n);
        }
        assertEquals(H >= VanillaKernel.SPLIT_HIDDEN_SIZE, a.kernel().workerStarted(), "second thread at H=" + H);
        assertEquals(40, adagradA.step(), "the fused updates are counted");
        for (String name : NAMES) {
            Exact.assertSameArray("parameter " + name, general.get(name), fused.get(name));
            Exact.assertSameArray("memory " + name, adagradB.state().get("mem").get(name),
                    adagradA.state().get("mem").get(name));
            Exact.assertSameArray("clipped gradient " + name, gB.get(name), stepA.grads().get(name));
        }
        Exact.assertSameArray("hprev", sB.h[0], sA.h[0]);
        assertTrue(adagradA.state().get("mem").get("l0.Wx").getColumn(1).sumNumber().doubleValue() == 0,
                "column 1 was never an input");
        a.close();
        b.close();
    }

    private static Optimizer adagrad(ParamSet params) {
        return Optimizer.create(OptimizerConfig.of(OptimizerConfig.Kind.ADAGRAD, 0.1), params);
    }

    private static List<INDArray> inKernelOrder(ParamSet set) {
        return NAMES.stream().map(set::get).toList();
    }

    private static StreamState state(ModelSpec spec, INDArray h) {
        StreamState s = StreamState.zeros(spec, 1);
        s.h[0].assign(h);
        return s;
    }

    /** Weights large enough that some gradients exceed the clip, pre-activations alike across H. */
    private static ParamSet randomParams(int H, Rng rng, Precision precision) {
        double scale = 0.6 * Math.sqrt(24.0 / H);
        ParamSet p = Fixture.minCharParams(random(H, V, rng, scale), random(H, H, rng, scale),
                random(V, H, rng, scale), random(H, 1, rng, scale), random(V, 1, rng, scale));
        ModelSpec spec = new ModelSpec(CellType.RNN, 1, H, V, precision);
        return ParamSet.of(spec, java.util.Map.of("l0.Wx", p.get("l0.Wx"), "l0.Wh", p.get("l0.Wh"),
                "Why", p.get("Why"), "l0.b", p.get("l0.b"), "by", p.get("by")));
    }

    private static INDArray random(int rows, int cols, Rng rng, double scale) {
        double[] w = new double[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = scale * rng.nextGaussian();
        }
        return Nd4j.create(w, new long[] {rows, cols}, DataType.DOUBLE);
    }

    private static void assertClose(String label, INDArray expected, INDArray actual, double tolerance) {
        Close.assertNormClose(label, expected, actual, tolerance);
    }

    /**
     * The fast stacked network against the reference in float32, the deep models' default type, where the
     * fixtures (float64) do not reach: two layers, three streams, dropout, Adam. Tolerances: the first
     * iteration's gradients within 1e-4 · max|reference| per array (float32 rounds at 6e-8 of each value, and
     * the engines sum in different orders); every loss of 15 iterations within 1e-5 relative. (Parameters are
     * not compared after many steps: Adam turns a float32 difference in a near-zero gradient into a whole
     * step of lr, as Adagrad does for min-char-rnn.) With an embedding, layer 0 reads its rows and the loss
     * is the mean over B·T characters.
     */
    @ParameterizedTest(name = "{0}, embedding {1}")
    @CsvSource({"RNN, 0", "LSTM, 0", "GRU, 0", "RNN, 5", "LSTM, 5", "GRU, 5"})
    void stackedFastMatchesReferenceInFloat32(CellType cell, int embeddingSize) {
        ModelSpec spec = new ModelSpec(cell, 2, 12, 9, Precision.FLOAT, embeddingSize);
        ParamSet init = ParamSet.init(spec, new Rng(4));
        TrainingStep reference = learner(Engine.REFERENCE, init.copy(), spec);
        TrainingStep fast = learner(Engine.FAST, init.copy(), spec);
        assertTrue(spec.paramNames().contains("emb") == (embeddingSize > 0));
        Rng text = new Rng(8);
        for (int n = 0; n < 15; n++) {
            int[][] windows = RandomWindows.of(text, STACKED_B, STACKED_T, spec.vocabSize());
            if (n == 0) {
                TrainingStep r = learner(Engine.REFERENCE, init.copy(), spec);
                TrainingStep f = learner(Engine.FAST, init.copy(), spec);
                r.lossAndGradients(windows);
                f.lossAndGradients(windows);
                for (String name : spec.paramNames()) {
                    assertNormClose(cell + " d" + name, r.grads().get(name), f.grads().get(name), 1e-4);
                }
            }
            double a = reference.train(windows);
            double b = fast.train(windows);
            int at = n;
            assertTrue(Math.abs(a - b) <= 1e-5 * Math.abs(a), () -> cell + " loss at " + at + ": " + a + " vs " + b);
        }
    }

    /** Norm-wise close ({@link Close}), and not vacuously: the reference's gradient is not all zero. */
    private static void assertNormClose(String label, INDArray expected, INDArray actual, double rtol) {
        assertTrue(expected.amaxNumber().doubleValue() > 0, label + ": an all-zero gradient");
        Close.assertNormClose(label, expected, actual, rtol);
    }

    private static TrainingStep learner(Engine kind, ParamSet params, ModelSpec spec) {
        Network network = Network.create(kind, params, STACKED_B, STACKED_T, 0.25, Threads.available());
        return new TrainingStep(network, Optimizer.create(OptimizerConfig.of(OptimizerConfig.Kind.ADAM, 0.01), params),
                StreamState.zeros(spec, STACKED_B), 5.0, new Rng(11),
                spec.embedded() ? LossNormalization.MEAN : LossNormalization.SUM);
    }
}
