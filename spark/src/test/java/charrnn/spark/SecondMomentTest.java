package charrnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import charrnn.optim.OptimizerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The mean square after a round, against the same quantities computed here from two workers' gradients. */
class SecondMomentTest {
    private static final double BETA1 = OptimizerConfig.BETA1;
    private static final double BETA2 = OptimizerConfig.BETA2;

    private static Block block(double... values) {
        return Block.of(Nd4j.createFromArray(new double[][] {values}));
    }

    private static Weights weights(long step, Map<String, double[]> slots) {
        LinkedHashMap<String, Block> params = new LinkedHashMap<>();
        params.put("W", block(0.5, -0.5, 1.0));
        LinkedHashMap<String, LinkedHashMap<String, Block>> s = new LinkedHashMap<>();
        slots.forEach((slot, values) -> {
            LinkedHashMap<String, Block> b = new LinkedHashMap<>();
            b.put("W", block(values));
            s.put(slot, b);
        });
        return new Weights(params, s, step);
    }

    private static final double[] M0 = {0.01, -0.02, 0.0};
    private static final double[] V0 = {0.0004, 0.0009, 0.0001};
    private static final double[] G1 = {0.3, -0.1, 0.05};   // worker 1's gradient in the round's one step
    private static final double[] G2 = {0.1, -0.3, -0.05};  // worker 2's

    @Test
    void estimatedIsOneMachinesVWhenTheRoundIsOneStep() {
        double[] m = new double[3];
        double[] v = new double[3];
        double[] oneMachine = new double[3];
        for (int i = 0; i < 3; i++) {
            m[i] = ((BETA1 * M0[i] + (1 - BETA1) * G1[i]) + (BETA1 * M0[i] + (1 - BETA1) * G2[i])) / 2;
            v[i] = ((BETA2 * V0[i] + (1 - BETA2) * G1[i] * G1[i]) + (BETA2 * V0[i] + (1 - BETA2) * G2[i] * G2[i])) / 2;
            double g = (G1[i] + G2[i]) / 2;
            oneMachine[i] = BETA2 * V0[i] + (1 - BETA2) * g * g;
        }
        Weights start = weights(10, Map.of("m", M0, "v", V0));
        Weights mean = weights(11, Map.of("m", m, "v", v));
        Weights after = SecondMoment.ESTIMATED.after(start, mean, 2, OptimizerConfig.of(OptimizerConfig.Kind.ADAM, 0.002));
        for (int i = 0; i < 3; i++) {
            // (the mean of the workers' v is larger: 1e-7 apart here, against 1e-15 of rounding)
            assertEquals(oneMachine[i], after.slots().get("v").get("W").get(i), 1e-15, "element " + i);
            assertEquals(true, v[i] - oneMachine[i] > 1e-9, "the plain mean is larger, element " + i);
        }
        assertSame(mean.slots().get("m"), after.slots().get("m"), "m is the mean");
        assertSame(mean.params(), after.params(), "the parameters are the mean");
    }

    @Test
    void rescaledDividesTheRoundsIncrementByW() {
        // adagrad: mem grows by the squares; two rounds' worth of steps, W = 4
        double[] mem0 = {1.0, 2.0, 3.0};
        double[] mem = {1.8, 2.4, 3.0};
        Weights start = weights(4, Map.of("mem", mem0));
        Weights mean = weights(6, Map.of("mem", mem));
        Weights after = SecondMoment.RESCALED.after(start, mean, 4, OptimizerConfig.of(OptimizerConfig.Kind.ADAGRAD, 0.1));
        double[] expected = {1.2, 2.1, 3.0};
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[i], after.slots().get("mem").get("W").get(i), 1e-15, "element " + i);
        }
        // rmsprop: v decays by α per step, K = 2
        double alpha = OptimizerConfig.ALPHA;
        double[] v = {1.5, 2.5, 3.5};
        Weights rStart = weights(4, Map.of("v", mem0));
        Weights rMean = weights(6, Map.of("v", v));
        Weights r = SecondMoment.RESCALED.after(rStart, rMean, 2, OptimizerConfig.of(OptimizerConfig.Kind.RMSPROP, 0.002));
        for (int i = 0; i < 3; i++) {
            double decayed = alpha * alpha * mem0[i];
            assertEquals(decayed + (v[i] - decayed) / 2, r.slots().get("v").get("W").get(i), 1e-15, "element " + i);
        }
    }

    @Test
    void oneWorkerAndTheMeanKeepTheMean() {
        Weights start = weights(10, Map.of("m", M0, "v", V0));
        Weights mean = weights(20, Map.of("m", G1, "v", G2));
        OptimizerConfig adam = OptimizerConfig.of(OptimizerConfig.Kind.ADAM, 0.002);
        for (SecondMoment s : SecondMoment.values()) {
            assertSame(mean, s.after(start, mean, 1, adam), s + " with one worker");
        }
        assertSame(mean, SecondMoment.MEAN.after(start, mean, 2, adam));
        assertSame(mean, SecondMoment.ESTIMATED.after(start, mean, 2, OptimizerConfig.of(OptimizerConfig.Kind.RMSPROP,
                0.002)), "estimated needs adam's m");
        assertEquals(SecondMoment.RESCALED, SecondMoment.parse("rescaled"));
    }
}
