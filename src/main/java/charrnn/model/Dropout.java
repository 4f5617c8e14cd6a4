package charrnn.model;

import charrnn.util.Rng;

/**
 * Inverted dropout (Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from
 * Overfitting", JMLR 2014), the one rule both networks draw their masks by: entry i of a mask is 0 with
 * probability P, else 1/(1−P), from the i-th draw of the run's dropout stream, so that the reference and
 * the fast network drop the same units.
 */
final class Dropout {
    private Dropout() {
    }

    /** m[0, n) := the next n entries of a mask with dropout probability {@code p}, drawn in order. */
    static void draw(double[] m, int n, double p, Rng rng) {
        double keep = 1.0 / (1.0 - p);
        for (int i = 0; i < n; i++) {
            m[i] = rng.nextDouble() < p ? 0.0 : keep;
        }
    }
}
