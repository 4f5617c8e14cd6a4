package charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.model.CellType;
import charrnn.model.Engine;
import charrnn.model.ModelSpec;
import charrnn.model.NetworkStepper;
import charrnn.model.ParamSet;
import charrnn.model.Precision;
import charrnn.model.StreamState;
import charrnn.testing.Exact;
import charrnn.util.Rng;
import charrnn.util.Threads;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SamplerTest {
    static final double[] P = {0.05, 0.15, 0.30, 0.50};
    // chi-square with 3 degrees of freedom exceeds 16.27 with probability 0.001
    static final double CHI2_CRITICAL_3DF = 16.27;

    @Test
    void drawsFollowTheModelsSoftmax() {
        // zero weights and by = ln P make softmax(y) = P whatever the input and hidden state
        int h = 3;
        double[] logP = new double[P.length];
        for (int i = 0; i < P.length; i++) {
            logP[i] = Math.log(P[i]);
        }
        ParamSet params = ParamSet.of(new ModelSpec(CellType.RNN, 1, h, P.length, Precision.DOUBLE), Map.of(
                "l0.Wx", Nd4j.zeros(DataType.DOUBLE, h, P.length), "l0.Wh", Nd4j.zeros(DataType.DOUBLE, h, h),
                "Why", Nd4j.zeros(DataType.DOUBLE, P.length, h), "l0.b", Nd4j.zeros(DataType.DOUBLE, h),
                "by", Nd4j.createFromArray(logP)));
        int n = 20_000;
        int[] drawn;
        try (NetworkStepper stepper = new NetworkStepper(Engine.FAST, params, Threads.available())) {
            drawn = new Sampler(stepper).sample(0, n, 1.0, new Rng(3));
        }
        long[] counts = new long[P.length];
        for (int ix : drawn) {
            counts[ix]++;
        }
        double chi2 = 0;
        for (int i = 0; i < P.length; i++) {
            double expected = n * P[i];
            chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        double statistic = chi2;
        assertTrue(statistic < CHI2_CRITICAL_3DF, () -> "chi-square " + statistic + " for counts "
                + java.util.Arrays.toString(counts));
    }

    @Test
    void aSkewedDistributionFailsTheSameTest() {
        // the test above can fail: draws from another distribution are rejected
        Rng rng = new Rng(3);
        double[] other = {0.10, 0.15, 0.30, 0.45};
        int n = 20_000;
        long[] counts = new long[P.length];
        for (int i = 0; i < n; i++) {
            counts[Sampler.draw(other, rng.nextDouble())]++;
        }
        double chi2 = 0;
        for (int i = 0; i < P.length; i++) {
            double expected = n * P[i];
            chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        assertTrue(chi2 > CHI2_CRITICAL_3DF, "chi-square " + chi2);
    }

    @Test
    void sameSeedSameSequenceAndTrainingStateUntouched() {
        Rng init = new Rng(11);
        ParamSet params = ParamSet.init(new ModelSpec(CellType.RNN, 1, 8, 6, Precision.DOUBLE), init);
        StreamState state = StreamState.zeros(params.spec(), 1);
        state.h[0].assign(Nd4j.rand(DataType.DOUBLE, 1, 8));
        INDArray before = state.h[0].dup();
        INDArray wxhBefore = params.get("l0.Wx").dup();
        try (NetworkStepper stepper = new NetworkStepper(Engine.FAST, params, Threads.available())) {
            Sampler sampler = new Sampler(stepper);
            stepper.setState(state, 0);
            int[] a = sampler.sample(2, 300, 1.0, new Rng(5));
            stepper.setState(state, 0);
            int[] b = sampler.sample(2, 300, 1.0, new Rng(5));
            stepper.setState(state, 0);
            int[] c = sampler.sample(2, 300, 1.0, new Rng(6));
            assertArrayEquals(a, b);
            assertTrue(!java.util.Arrays.equals(a, c), "another seed gives another sequence");
        }
        Exact.assertSameArray("sampling does not change the hidden state it starts from", before, state.h[0]);
        Exact.assertSameArray("sampling does not change the parameters", wxhBefore, params.get("l0.Wx"));
    }

    @Test
    void softmaxSubtractsTheMaximum() {
        double[] p = Sampler.softmax(new double[] {1000, 1000 + Math.log(3)}, 1.0);
        assertEquals(0.25, p[0], 1e-13);
        assertEquals(0.75, p[1], 1e-13);
    }

    @Test
    void drawReturnsTheLastIndexWhenRoundingLeavesTheSumShort() {
        assertEquals(2, Sampler.draw(new double[] {0.3, 0.3, 0.3999999}, 0.99999999));
        assertEquals(0, Sampler.draw(new double[] {0.3, 0.3, 0.4}, 0.0));
        assertEquals(1, Sampler.draw(new double[] {0.3, 0.3, 0.4}, 0.3));
    }
}
