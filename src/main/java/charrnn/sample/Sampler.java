package charrnn.sample;

import charrnn.model.Engine;
import charrnn.model.IeeeMath;
import charrnn.model.Params;
import charrnn.model.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Draws characters from the model one at a time, feeding each back in (min-char-rnn's {@code sample}):
 * {@code h = tanh(Wxh x + Whh h + bh); y = Why h + by; p = softmax(y / temperature)}, then a
 * multinomial draw from p. Works on its own copy of the hidden state, so it never changes training.
 */
public final class Sampler {
    private final Engine engine;
    private final INDArray h;          // (H, 1) the sampler's own hidden state
    private final double[] logits;     // V
    private final double[] probabilities;   // V

    public Sampler(Engine engine) {
        Params params = engine.params();
        this.engine = engine;
        this.h = Nd4j.zeros(params.dataType(), params.hiddenSize(), 1);
        this.logits = new double[params.vocabSize()];
        this.probabilities = new double[params.vocabSize()];
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
        int[] drawn = new int[n];
        int ix = seedIndex;
        for (int i = 0; i < n; i++) {
            engine.step(ix, h, logits);
            ix = draw(softmax(logits, temperature, probabilities), rng.nextDouble());
            drawn[i] = ix;
        }
        return drawn;
    }

    /** Feeds characters through the network without drawing: the hidden state a start text leaves. */
    public void prime(INDArray hprev, int[] indices, INDArray hout) {
        copy(hprev, h);
        for (int ix : indices) {
            engine.step(ix, h, logits);
        }
        hout.assign(h);
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
