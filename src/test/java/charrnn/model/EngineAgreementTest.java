package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The fast engine against the reference engine: loss, gradients, hidden state, update and sampling step. */
class EngineAgreementTest {
    static final int V = 11;
    static final int T = 9;

    /** H = 300 takes the fast engine's two-thread paths (recurrence from H = 256, update from 65,536 parameters). */
    @ParameterizedTest(name = "{0}, H={2}: within {1} of the scale")
    @CsvSource({"DOUBLE, 1e-12, 24", "FLOAT, 1e-4, 24", "DOUBLE, 1e-12, 300", "FLOAT, 1e-4, 300"})
    void fastMatchesReference(Precision precision, double tolerance, int H) {
        assertTrue(H < BlasEngine.SPLIT_HIDDEN_SIZE || (long) H * H >= BlasEngine.SPLIT_PARAMETERS);
        DataType dtype = precision.dataType();
        Rng rng = new Rng(17);
        Params reference = randomParams(H, rng);
        Params fastParams = copy(reference, dtype);
        Params refParams = copy(reference, dtype);
        Engine fast = Engine.create(Engine.Kind.FAST, fastParams, T);
        Engine ref = Engine.create(Engine.Kind.REFERENCE, refParams, T);
        int[] window = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};

        INDArray h0 = random(H, 1, rng, 0.6).castTo(dtype);
        INDArray hFast = h0.dup();
        INDArray hRef = h0.dup();
        Gradients gFast = new Gradients(fastParams);
        Gradients gRef = new Gradients(refParams);
        double lossFast = fast.lossAndGradients(window, hFast, gFast);
        double lossRef = ref.lossAndGradients(window, hRef, gRef);

        // the fast engine is deterministic: the same window from the same state gives the same bits
        Gradients again = new Gradients(fastParams);
        INDArray hAgain = h0.dup();
        assertEquals(lossFast, fast.lossAndGradients(window, hAgain, again));
        assertBitsEqual("hprev again", hFast, hAgain);
        for (int i = 0; i < 5; i++) {
            assertTrue(java.util.Arrays.equals(gFast.all().get(i).castTo(DataType.DOUBLE).data().asDouble(),
                    again.all().get(i).castTo(DataType.DOUBLE).data().asDouble()), "same gradients, bit for bit");
        }

        assertEquals(lossRef, lossFast, tolerance * Math.abs(lossRef), "loss");
        assertClose("hprev", hRef, hFast, tolerance);
        List<String> names = List.of("dWxh", "dWhh", "dWhy", "dbh", "dby");
        for (int i = 0; i < names.size(); i++) {
            assertClose(names.get(i), gRef.all().get(i), gFast.all().get(i), tolerance);
        }
        double largest = gRef.all().stream().mapToDouble(g -> g.amaxNumber().doubleValue()).max().orElse(0);
        assertTrue(largest > 5, "some gradients are clipped below: largest " + largest);

        // the update from the same gradients (it divides by sqrt(d² + 1e-8), which magnifies any difference
        // in a near-zero gradient ten-thousandfold)
        for (int i = 0; i < names.size(); i++) {
            gFast.all().get(i).assign(gRef.all().get(i));
        }
        fast.clipAndUpdate(gFast, new Adagrad(fastParams, 0.1), 5.0);
        ref.clipAndUpdate(gRef, new Adagrad(refParams, 0.1), 5.0);
        for (int i = 0; i < names.size(); i++) {
            assertClose("updated " + names.get(i).substring(1), refParams.all().get(i), fastParams.all().get(i),
                    tolerance);
        }

        double[] logitsFast = new double[V];
        double[] logitsRef = new double[V];
        fast.step(7, hFast, logitsFast);
        ref.step(7, hRef, logitsRef);
        assertClose("sampling step h", hRef, hFast, tolerance);
        assertClose("sampling step logits", Nd4j.createFromArray(logitsRef), Nd4j.createFromArray(logitsFast),
                tolerance);

        // the two-thread paths ran where this test says they do, and closing the engine ends the thread
        BlasEngine blas = (BlasEngine) fast;
        assertEquals(H >= BlasEngine.SPLIT_HIDDEN_SIZE, blas.workerStarted(), "second thread started at H=" + H);
        assertEquals(H >= BlasEngine.SPLIT_HIDDEN_SIZE, blas.workerAlive());
        fast.close();
        assertFalse(blas.workerAlive(), "the worker thread ended on close");
    }

    /**
     * The fast engine's train(), which updates only the columns of Wxh the inputs select (and from
     * H = 256 makes dWhh in blocks beside the update), against lossAndGradients() + clipAndUpdate(): the
     * same bits after 40 iterations, in both precisions, with windows that leave most columns out.
     */
    @ParameterizedTest(name = "{0}, H={1}")
    @CsvSource({"DOUBLE, 24", "FLOAT, 24", "DOUBLE, 270", "FLOAT, 270"})
    void trainGivesTheBitsOfLossAndGradientsThenClipAndUpdate(Precision precision, int H) {
        DataType dtype = precision.dataType();
        Rng rng = new Rng(23);
        Params start = randomParams(H, rng);
        Params oneCall = copy(start, dtype);
        Params twoCalls = copy(start, dtype);
        Engine a = Engine.create(Engine.Kind.FAST, oneCall, T);
        Engine b = Engine.create(Engine.Kind.FAST, twoCalls, T);
        Adagrad adagradA = new Adagrad(oneCall, 0.1);
        Adagrad adagradB = new Adagrad(twoCalls, 0.1);
        Gradients gA = new Gradients(oneCall);
        Gradients gB = new Gradients(twoCalls);
        INDArray hA = Nd4j.zeros(dtype, H, 1);
        INDArray hB = Nd4j.zeros(dtype, H, 1);
        int[] window = new int[T + 1];
        for (int n = 0; n < 40; n++) {
            for (int t = 0; t <= T; t++) {
                window[t] = (int) (rng.nextDouble() * 4) * 3 % V;   // 4 of the 11 characters
            }
            double lossA = a.train(window, hA, gA, adagradA, 5.0);
            double lossB = b.lossAndGradients(window, hB, gB);
            b.clipAndUpdate(gB, adagradB, 5.0);
            assertEquals(lossB, lossA, "loss at iteration " + n);
        }
        assertEquals(H >= BlasEngine.SPLIT_HIDDEN_SIZE, ((BlasEngine) a).workerStarted(), "second thread at H=" + H);
        for (int i = 0; i < 5; i++) {
            assertBitsEqual("parameter " + i, twoCalls.all().get(i), oneCall.all().get(i));
            assertBitsEqual("memory " + i, adagradB.all().get(i), adagradA.all().get(i));
            assertBitsEqual("clipped gradient " + i, gB.all().get(i), gA.all().get(i));
        }
        assertBitsEqual("hprev", hB, hA);
        assertTrue(adagradA.mWxh.getColumn(1).sumNumber().doubleValue() == 0, "column 1 was never an input");
    }

    private static void assertBitsEqual(String label, INDArray expected, INDArray actual) {
        assertTrue(java.util.Arrays.equals(expected.castTo(DataType.DOUBLE).dup('c').data().asDouble(),
                actual.castTo(DataType.DOUBLE).dup('c').data().asDouble()), label + ": not the same bits");
    }

    /** Weights large enough that some gradients exceed the clip, pre-activations alike across H. */
    private static Params randomParams(int H, Rng rng) {
        double scale = 0.6 * Math.sqrt(24.0 / H);
        return new Params(random(H, V, rng, scale), random(H, H, rng, scale), random(V, H, rng, scale),
                random(H, 1, rng, scale), random(V, 1, rng, scale));
    }

    private static INDArray random(int rows, int cols, Rng rng, double scale) {
        double[] w = new double[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = scale * rng.nextGaussian();
        }
        return Nd4j.create(w, new long[] {rows, cols}, DataType.DOUBLE);
    }

    private static Params copy(Params p, DataType dtype) {
        return new Params(p.Wxh.castTo(dtype).dup(), p.Whh.castTo(dtype).dup(), p.Why.castTo(dtype).dup(),
                p.bh.castTo(dtype).dup(), p.by.castTo(dtype).dup());
    }

    /** Entries agree within tolerance × the largest magnitude in the expected array. */
    private static void assertClose(String label, INDArray expected, INDArray actual, double tolerance) {
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-300);
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance * scale, label + ": max difference " + diff + " at scale " + scale);
    }
}
