package charrnn.sample;

import charrnn.model.Engine;
import charrnn.model.IeeeMath;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.model.Stepper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Draws characters from the model one at a time, feeding each back in (min-char-rnn's {@code sample}):
 * {@code h = tanh(Wxh x + Whh h + bh); y = Why h + by; p = softmax(y / temperature)}, then a
 * multinomial draw from p. Works on its own copy of the hidden state, so it never changes training.
 */
public final class Sampler {
    private final Stepper stepper;
    private final INDArray h;          // (H, 1) the min-char sampler's own hidden state; null for a stepper
    private final double[] logits;     // V
    private final double[] probabilities;   // V

    /** min-char-rnn's sampler: {@code engine}'s step on a hidden state of its own. */
    public Sampler(Engine engine) {
        Params params = engine.params();
        INDArray state = Nd4j.zeros(params.dataType(), params.hiddenSize(), 1);
        this.h = state;
        this.stepper = new Stepper() {
            @Override
            public void step(int input, double[] y) {
                engine.step(input, state, y);
            }

            @Override
            public int vocabSize() {
                return params.vocabSize();
            }
        };
        this.logits = new double[params.vocabSize()];
        this.probabilities = new double[params.vocabSize()];
    }

    /** A sampler over any model read step by step; it draws from the stepper's state as it stands. */
    public Sampler(Stepper stepper) {
        this.stepper = stepper;
        this.h = null;
        this.logits = new double[stepper.vocabSize()];
        this.probabilities = new double[stepper.vocabSize()];
    }

    /**
     * @param hprev       (H, 1) hidden state to start from; not modified
     * @param seedIndex   vocabulary index of the first input character
     * @param n           how many characters to draw
     * @param temperature 1.0 for the plain softmax of min-char-rnn; lower is more conservative
     * @return the vocabulary indices drawn (the seed character is not included)
     */
    public int[] sample(INDArray hprev, int seedIndex, int n, double temperature, Rng rng) {
        copy(hprev, h);
        return sample(seedIndex, n, temperature, rng);
    }

    /** {@link #sample(INDArray, int, int, double, Rng)} from the state the stepper holds, which moves on. */
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

    /** Starts from {@code hprev} (copied into the sampler's own state; min-char-rnn's sampler only). */
    public void startFrom(INDArray hprev) {
        copy(hprev, h);
    }

    /** Feeds characters through the network without drawing: the hidden state a start text leaves. */
    public void prime(INDArray hprev, int[] indices, INDArray hout) {
        copy(hprev, h);
        prime(indices);
        hout.assign(h);
    }

    /** Feeds characters through the model without drawing, from the state the stepper holds. */
    public void prime(int[] indices) {
        for (int ix : indices) {
            stepper.step(ix, logits);
        }
    }

    /** to = from: one memcpy where both are plain arrays of one type (an ND4J op costs ~10 µs). */
    private static void copy(INDArray from, INDArray to) {
        if (from.dataType() == to.dataType() && from.length() == to.length() && !from.isView() && !to.isView()) {
            Nd4j.getMemoryManager().memcpy(to.data(), from.data());
        } else {
            to.assign(from);
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
