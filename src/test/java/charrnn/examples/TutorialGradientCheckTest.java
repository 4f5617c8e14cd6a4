package charrnn.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.sample.Sampler;
import charrnn.util.Rng;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * The examples' backward passes against central finite differences (step 1e-5) of their losses, for
 * every parameter entry: |analytic − numeric| ≤ 1e-6 · max(1, |numeric|). The sine network's gradient is
 * the tutorial's truncated one, so it is checked against the finite differences of the loss in which
 * only the last truncate + 1 steps see the perturbed weights (the earlier states are held at the
 * unperturbed weights' values), and, so that the check means something, the full loss's finite
 * differences must differ from it.
 */
class TutorialGradientCheckTest {
    static final double STEP = 1e-5;
    static final double TOLERANCE = 1e-6;

    @Test
    void sentimentBackwardIsTheGradientOfItsLoss() {
        Rng rng = new Rng(11);
        int v = 5;
        int h = 6;
        int c = 3;
        ManyToOneRnn rnn = new ManyToOneRnn(v, h, c, gaussian(h * v, rng), gaussian(h * h, rng), gaussian(c * h, rng),
                gaussian(h, rng), gaussian(c, rng));
        int[] words = {3, 0, 4, 4, 1};
        int target = 2;
        DoubleSupplier loss = () -> -StrictMath.log(Sampler.softmax(rnn.forward(words), 1.0)[target]);
        double[] dy = Sampler.softmax(rnn.forward(words), 1.0);
        dy[target] -= 1;
        Gradients analytic = rnn.backward(dy);
        check("sentiment", rnn.params(), analytic, loss);
    }

    @Test
    void sineBackwardIsTheTruncatedGradient() {
        Rng rng = new Rng(12);
        int h = 5;
        int t = 9;
        int truncate = 3;
        SineRnn rnn = new SineRnn(h, t, gaussian(h * t, rng), gaussian(h * h, rng), gaussian(h, rng));
        double[] x = gaussian(t, rng);
        double y = 0.3;
        double yHat = rnn.predict(x);
        Gradients analytic = rnn.backward(y, yHat, truncate);
        SineRnn frozen = new SineRnn(h, t, rnn.U.clone(), rnn.W.clone(), rnn.V.clone());
        DoubleSupplier truncatedLoss = () -> {
            double e = y - truncatedPrediction(frozen, rnn, x, truncate);
            return e * e / 2;
        };
        check("sine (truncated)", rnn.params(), analytic, truncatedLoss);

        DoubleSupplier fullLoss = () -> {
            double e = y - rnn.predict(x);
            return e * e / 2;
        };
        double largest = 0;
        double[] w = rnn.W;
        for (int i = 0; i < w.length; i++) {
            largest = Math.max(largest, Math.abs(numeric(w, i, fullLoss) - analytic.all().get(1)[i]));
        }
        assertTrue(largest > 1e-4, "the full gradient of W should differ from the truncated one, by " + largest);
    }

    /** ŷ with steps 0 … T−2−truncate on {@code frozen}'s weights and the last truncate + 1 on {@code live}'s. */
    private static double truncatedPrediction(SineRnn frozen, SineRnn live, double[] x, int truncate) {
        int h = live.H;
        int t = live.T;
        double[] s = new double[h];
        for (int step = 0; step < t; step++) {
            SineRnn p = step < t - 1 - truncate ? frozen : live;
            double[] next = new double[h];
            for (int i = 0; i < h; i++) {
                double a = p.U[i * t + step] * x[step];
                for (int j = 0; j < h; j++) {
                    a += p.W[i * h + j] * s[j];
                }
                next[i] = 1 / (1 + Math.exp(-a));
            }
            s = next;
        }
        double y = 0;
        for (int j = 0; j < h; j++) {
            y += live.V[j] * s[j];
        }
        return y;
    }

    private static void check(String label, List<double[]> params, Gradients analytic, DoubleSupplier loss) {
        int checked = 0;
        for (int p = 0; p < params.size(); p++) {
            double[] theta = params.get(p);
            double[] g = analytic.all().get(p);
            for (int i = 0; i < theta.length; i++) {
                double numeric = numeric(theta, i, loss);
                double bound = TOLERANCE * Math.max(1, Math.abs(numeric));
                int param = p;
                int at = i;
                assertTrue(Math.abs(g[i] - numeric) <= bound,
                        () -> label + " parameter " + param + " entry " + at + ": analytic " + g[at] + ", numeric " + numeric);
                checked++;
            }
        }
        assertTrue(checked > 50, label + ": checked " + checked + " entries");
    }

    private static double numeric(double[] theta, int i, DoubleSupplier loss) {
        double keep = theta[i];
        theta[i] = keep + STEP;
        double plus = loss.getAsDouble();
        theta[i] = keep - STEP;
        double minus = loss.getAsDouble();
        theta[i] = keep;
        return (plus - minus) / (2 * STEP);
    }

    private static double[] gaussian(int n, Rng rng) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = 0.7 * rng.nextGaussian();
        }
        return a;
    }
}
