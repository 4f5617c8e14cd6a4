package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Analytic gradients (before clipping) against central finite differences, every entry, float64. */
class GradientCheckTest {
    static final int H = 7;
    static final int V = 5;
    static final int T = 6;
    static final double STEP = 1e-5;
    static final double MAX_RELATIVE_ERROR = 1e-6;

    @ParameterizedTest
    @EnumSource(Engine.Kind.class)
    void everyEntryOfEveryParameterMatchesFiniteDifferences(Engine.Kind kind) {
        Rng rng = new Rng(7);
        // weights large enough that tanh is not linear and every gradient is far from zero
        Params params = new Params(random(H, V, rng), random(H, H, rng), random(V, H, rng),
                random(H, 1, rng), random(V, 1, rng));
        INDArray hprev = random(H, 1, rng);
        int[] window = {0, 3, 1, 4, 4, 2, 0};   // T+1 characters, every symbol used

        Engine rnn = Engine.create(kind, params, T);
        Gradients grads = new Gradients(params);
        rnn.lossAndGradients(window, hprev.dup(), grads);
        Gradients scratch = new Gradients(params);

        List<String> names = List.of("Wxh", "Whh", "Why", "bh", "by");
        int nonZero = 0;
        for (int k = 0; k < names.size(); k++) {
            INDArray param = params.all().get(k);
            INDArray analytic = grads.all().get(k);
            for (long i = 0; i < param.length(); i++) {
                double original = param.getDouble(i);
                param.putScalar(i, original + STEP);
                double plus = rnn.lossAndGradients(window, hprev.dup(), scratch);
                param.putScalar(i, original - STEP);
                double minus = rnn.lossAndGradients(window, hprev.dup(), scratch);
                param.putScalar(i, original);

                double numeric = (plus - minus) / (2 * STEP);
                double a = analytic.getDouble(i);
                double scale = Math.max(Math.abs(a), Math.abs(numeric));
                // both zero (or both below what central differences resolve) counts as agreement
                double relative = scale < 1e-10 ? 0 : Math.abs(a - numeric) / scale;
                String where = names.get(k) + " entry " + i;
                assertTrue(relative < MAX_RELATIVE_ERROR,
                        () -> String.format("d%s: analytic %.10g, numeric %.10g", where, a, numeric));
                if (Math.abs(numeric) > 1e-8) {
                    nonZero++;
                }
            }
        }
        // not vacuous: every entry but Wxh's is far from zero (Wxh's columns of characters absent from
        // the window are exactly zero)
        int minimum = H * H + V * H + H + V;
        int counted = nonZero;
        assertTrue(counted >= minimum, () -> counted + " entries with a gradient above 1e-8, expected at least " + minimum);
    }

    private static INDArray random(int rows, int cols, Rng rng) {
        double[] w = new double[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.5 * rng.nextGaussian();
        }
        return Nd4j.create(w, new long[] {rows, cols}, DataType.DOUBLE);
    }
}
