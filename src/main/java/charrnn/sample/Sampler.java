package charrnn.sample;

import charrnn.model.Stepper;
import charrnn.numeric.IeeeMath;
import charrnn.util.Rng;

/**
 * Draws characters from the model one at a time, feeding each back in (min-char-rnn's {@code sample}):
 * {@code h = tanh(Wxh x + Whh h + bh); y = Why h + by; p = softmax(y / temperature)}, then a
 * multinomial draw from p. Runs on a {@link Stepper} of its own (a copy of the state), so it never
 * changes training.
 */
public final class Sampler {
    private final Stepper stepper;
    private final double[] logits;     // V
    private final double[] probabilities;   // V

    /** A sampler over a model read step by step; it draws from the stepper's state as it stands. */
    public Sampler(Stepper stepper) {
        this.stepper = stepper;
        this.logits = new double[stepper.vocabSize()];
        this.probabilities = new double[stepper.vocabSize()];
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
        stepper.step(input, logits);
        return draw(softmax(logits, temperature, probabilities), rng.nextDouble());
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
