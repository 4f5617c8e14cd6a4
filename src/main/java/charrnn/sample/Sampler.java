package charrnn.sample;

import charrnn.model.Stepper;
import charrnn.numeric.IeeeMath;
import charrnn.util.Rng;

/**
 * Draws characters from the model one at a time, feeding each back in (min-char-rnn's {@code sample}):
 * {@code h = tanh(Wxh x + Whh h + bh); y = Why h + by; p = softmax(y / temperature)}, then a
 * multinomial draw from p. Runs on a {@link Stepper} of its own (a copy of the state), so it never
 * changes training.
 *
 * <p>The draw's controls apply in this order: the temperature (0: the greedy choice, the most likely
 * character, ties to the lowest index, and nothing else applies), then top-k (keep the K most likely),
 * then top-p (of those, keep the smallest set, most likely first, whose probability reaches P); the kept
 * probabilities are divided by their sum and drawn from as the plain draw is. Top-k of V or more and
 * top-p of 1 keep everything and leave the plain draw exactly as it is.
 */
public final class Sampler {
    private final Stepper stepper;
    private final double[] logits;     // V
    private final double[] probabilities;   // V
    private final Integer[] order;          // V: the indices by probability, for top-k and top-p

    /** A sampler over a model read step by step; it draws from the stepper's state as it stands. */
    public Sampler(Stepper stepper) {
        this.stepper = stepper;
        this.logits = new double[stepper.vocabSize()];
        this.probabilities = new double[stepper.vocabSize()];
        this.order = new Integer[stepper.vocabSize()];
    }

    /**
     * Draws {@code n} characters from the state the stepper holds, which moves on.
     *
     * @param seedIndex   vocabulary index of the first input character
     * @param temperature 1.0 for the plain softmax of min-char-rnn; lower is more conservative
     * @return the vocabulary indices drawn (the seed character is not included)
     */
    public int[] sample(int seedIndex, int n, double temperature, Rng rng) {
        int[] drawn = new int[n];
        int ix = seedIndex;
        for (int i = 0; i < n; i++) {
            ix = next(ix, temperature, rng);
            drawn[i] = ix;
        }
        return drawn;
    }

    /** Feeds {@code input} through the model and draws the next character's index (one step of sample). */
    public int next(int input, double temperature, Rng rng) {
        return next(input, temperature, 0, 1.0, rng);
    }

    /**
     * {@link #next(int, double, Rng)} with top-k and top-p (the class comment's order; {@code topK} 0 and
     * {@code topP} 1: off); temperature 0 is the greedy choice, which draws no random number.
     */
    public int next(int input, double temperature, int topK, double topP, Rng rng) {
        stepper.step(input, logits);
        if (temperature == 0) {
            return argmax(logits);
        }
        double[] p = softmax(logits, temperature, probabilities);
        if ((topK <= 0 || topK >= p.length) && topP >= 1) {
            return draw(p, rng.nextDouble());
        }
        int last = keep(p, topK, topP, order);
        return drawKept(p, rng.nextDouble(), last);
    }

    /** The index of the largest value, the lowest of equals. */
    public static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Zeroes every probability but those top-k and then top-p keep (the class comment's rule) and divides
     * the kept by their sum; returns the highest kept index.
     */
    static int keep(double[] p, int topK, double topP, Integer[] scratch) {
        int v = p.length;
        Integer[] byP = scratch != null && scratch.length == v ? scratch : new Integer[v];
        for (int i = 0; i < v; i++) {
            byP[i] = i;
        }
        java.util.Arrays.sort(byP, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
        int k = topK <= 0 || topK > v ? v : topK;
        double massK = 0;
        for (int r = 0; r < k; r++) {
            massK += p[byP[r]];
        }
        int kept = k;
        if (topP < 1) {
            double reached = 0;
            for (kept = 0; kept < k; ) {     // the smallest set whose share of the top k reaches P
                reached += p[byP[kept++]] / massK;
                if (reached >= topP) {
                    break;
                }
            }
        }
        double mass = 0;
        int last = 0;
        for (int r = 0; r < kept; r++) {
            mass += p[byP[r]];
            last = Math.max(last, byP[r]);
        }
        for (int r = 0; r < kept; r++) {
            p[byP[r]] /= mass;
        }
        for (int r = kept; r < v; r++) {
            p[byP[r]] = 0;
        }
        return last;
    }

    /** {@link #draw} where only some indices are kept: rounding can never pick one beyond {@code last}. */
    static int drawKept(double[] p, double u, int last) {
        return Math.min(draw(p, u), last);
    }

    /** Feeds characters through the model without drawing, from the state the stepper holds. */
    public void prime(int[] indices) {
        for (int ix : indices) {
            stepper.step(ix, logits);
        }
    }

    /**
     * softmax(logits / temperature) with the maximum subtracted before exp. {@link IeeeMath}'s exp,
     * so the same seed draws the same characters whether or not the JIT has compiled this method.
     */
    public static double[] softmax(double[] logits, double temperature) {
        return softmax(logits, temperature, new double[logits.length]);
    }

    /** {@link #softmax(double[], double)} into {@code p}, which it returns. */
    static double[] softmax(double[] logits, double temperature, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        for (int i = 0; i < p.length; i++) {
            p[i] = temperature == 1.0 ? logits[i] - max : (logits[i] - max) / temperature;   // x / 1.0 is x
        }
        IeeeMath.exp(p, p.length);
        double sum = 0;
        for (double v : p) {
            sum += v;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** The index i where the cumulative sum of p first exceeds u ∈ [0, 1). */
    public static int draw(double[] p, double u) {
        double cumulative = 0;
        for (int i = 0; i < p.length; i++) {
            cumulative += p[i];
            if (u < cumulative) {
                return i;
            }
        }
        return p.length - 1; // in case of rounding errors
    }
}
