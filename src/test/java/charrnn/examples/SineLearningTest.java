package charrnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.util.Rng;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sine example's learning network: exact gradients, and the wave learned. */
class SineLearningTest {
    /** Every gradient entry of a small network against central differences of the loss (relative 1e-6). */
    @Test
    void backwardIsTheLossesGradientThroughTheWholeWindow() {
        int h = 4;
        int t = 6;
        SineRnn rnn = SineRnn.learning(h, t, new Rng(3));
        rnn.b[1] = 0.2;
        rnn.c[0] = -0.1;
        double[] x = {0.3, -0.5, 0.8, 0.1, -0.9, 0.4};
        double y = 0.25;
        Gradients g = rnn.backward(y, rnn.predict(x), t - 1);
        List<double[]> params = rnn.params();
        for (int p = 0; p < params.size(); p++) {
            double[] theta = params.get(p);
            for (int i = 0; i < theta.length; i++) {
                double keep = theta[i];
                double eps = 1e-6;
                theta[i] = keep + eps;
                double plus = loss(rnn.predict(x), y);
                theta[i] = keep - eps;
                double minus = loss(rnn.predict(x), y);
                theta[i] = keep;
                double numeric = (plus - minus) / (2 * eps);
                double analytic = g.all().get(p)[i];
                assertEquals(numeric, analytic, 1e-6 * Math.max(1, Math.abs(numeric)), "param " + p + " entry " + i);
            }
        }
    }

    private static double loss(double yHat, double y) {
        return (y - yHat) * (y - yHat) / 2;
    }

    /** The default sine example learns the wave: validation RMSE at most 0.05 (the faithful one ends at 0.705). */
    @Test
    void theDefaultSineExampleLearnsTheWave() throws Exception {
        for (long seed : new long[] {42, 1}) {
            SineExample.Result r = SineExample.run(SineExample.EPOCHS, seed, null,
                    new PrintStream(new ByteArrayOutputStream()), false);
            assertTrue(r.rmse() <= 0.05, "seed " + seed + ": validation RMSE " + r.rmse());
        }
    }
}
