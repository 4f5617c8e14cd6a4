package charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.model.Stepper;
import charrnn.util.Rng;
import org.junit.jupiter.api.Test;

/**
 * Temperature 0, top-k and top-p (the order of {@link Sampler}'s class comment) on a model whose logits
 * are fixed: which characters are kept, their mass, that nothing else is ever drawn, and that the controls
 * at their "keep all" values leave the plain draw exactly as it is.
 */
class DrawControlsTest {
    /** Logits whose softmax is 0.05, 0.30, 0.15, 0.30, 0.20 (a tie between 1 and 3). */
    private static final double[] P = {0.05, 0.30, 0.15, 0.30, 0.20};

    /** A stepper that gives ln P whatever it reads. */
    private static Stepper fixed() {
        return new Stepper() {
            @Override
            public void step(int input, double[] logits) {
                for (int i = 0; i < P.length; i++) {
                    logits[i] = Math.log(P[i]);
                }
            }

            @Override
            public int vocabSize() {
                return P.length;
            }
        };
    }

    private static int[] draws(double temperature, int topK, double topP, int n) {
        Sampler s = new Sampler(fixed());
        Rng rng = new Rng(5);
        int[] drawn = new int[n];
        for (int i = 0; i < n; i++) {
            drawn[i] = s.next(0, temperature, topK, topP, rng);
        }
        return drawn;
    }

    private static int[] counts(int[] drawn) {
        int[] c = new int[P.length];
        for (int x : drawn) {
            c[x]++;
        }
        return c;
    }

    @Test
    void keepsTheTopKThenTheTopPAndTheirMassIsOne() {
        double[] p = P.clone();
        assertEquals(3, Sampler.keep(p, 2, 1.0, null));         // the two of 0.30, ties to the lower index first
        assertArrayEquals(new double[] {0, 0.5, 0, 0.5, 0}, p, 1e-15);
        p = P.clone();
        Sampler.keep(p, 3, 1.0, null);                           // 0.30, 0.30, 0.20
        assertArrayEquals(new double[] {0, 0.375, 0, 0.375, 0.25}, p, 1e-15);
        p = P.clone();
        Sampler.keep(p, 0, 0.6, null);                           // 0.30 + 0.30 reaches 0.6
        assertArrayEquals(new double[] {0, 0.5, 0, 0.5, 0}, p, 1e-15);
        p = P.clone();
        Sampler.keep(p, 0, 0.61, null);                          // one more: 0.20
        assertArrayEquals(new double[] {0, 0.375, 0, 0.375, 0.25}, p, 1e-15);
        p = P.clone();
        Sampler.keep(p, 3, 0.7, null);                           // shares of the top 3 (0.8): 0.6 / 0.8 reaches 0.7
        assertArrayEquals(new double[] {0, 0.5, 0, 0.5, 0}, p, 1e-15);
        p = P.clone();
        Sampler.keep(p, 3, 0.76, null);                          // 0.75 does not reach 0.76: all three
        assertArrayEquals(new double[] {0, 0.375, 0, 0.375, 0.25}, p, 1e-15);
        p = P.clone();
        Sampler.keep(p, 4, 0.999, null);
        double mass = 0;
        for (double x : p) {
            mass += x;
        }
        assertEquals(1.0, mass, 1e-15, "the kept mass");
        assertEquals(0, p[0], "the least likely is dropped");
    }

    @Test
    void nothingOutsideTheKeptSetIsEverDrawnAndTheRestInProportion() {
        int n = 20_000;
        int[] topK = counts(draws(1.0, 2, 1.0, n));
        assertEquals(0, topK[0] + topK[2] + topK[4], "top-k 2 drew outside {1, 3}");
        assertEquals(0.5, topK[1] / (double) n, 0.02);
        int[] topP = counts(draws(1.0, 0, 0.61, n));
        assertEquals(0, topP[0] + topP[2], "top-p 0.61 drew outside {1, 3, 4}");
        assertEquals(0.25, topP[4] / (double) n, 0.02);
        int[] plain = counts(draws(1.0, 0, 1.0, n));
        assertTrue(plain[0] > 0 && plain[2] > 0, "the plain draw reaches every character");
    }

    @Test
    void topKOneTopPTowardZeroAndTemperatureZeroAreTheGreedyChoice() {
        int[] greedy = draws(0, 0, 1.0, 50);
        for (int x : greedy) {
            assertEquals(1, x, "the most likely, the lower index of a tie");
        }
        assertArrayEquals(greedy, draws(1.0, 1, 1.0, 50), "top-k 1");
        assertArrayEquals(greedy, draws(1.0, 0, 1e-9, 50), "top-p 1e-9");
        assertArrayEquals(greedy, draws(0.7, 1, 0.5, 50), "top-k 1 at another temperature");
    }

    @Test
    void keepingEverythingIsThePlainDrawBitForBit() {
        int[] plain = draws(0.8, 0, 1.0, 500);
        assertArrayEquals(plain, draws(0.8, P.length, 1.0, 500), "top-k V");
        assertArrayEquals(plain, draws(0.8, 99, 1.0, 500), "top-k above V");
        Sampler s = new Sampler(fixed());
        Rng rng = new Rng(5);
        int[] old = new int[500];
        for (int i = 0; i < old.length; i++) {
            old[i] = s.next(0, 0.8, rng);                       // the draw as it was before the controls
        }
        assertArrayEquals(old, plain);
        assertNotEquals(java.util.Arrays.toString(plain), java.util.Arrays.toString(draws(0.8, 4, 1.0, 500)),
                "top-k 4 changes the draws (so the comparisons above can fail)");
    }
}
