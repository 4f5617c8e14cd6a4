package charrnn.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs min-char-rnn's arithmetic on a set of {@link Params}: the engines of min-char-rnn's
 * configuration (one rnn layer, one stream, Adagrad, no dropout), kept as they were so that the
 * default run stays bit for bit what it was and as fast; every other configuration runs on a
 * {@link BatchNetwork}. Two implementations compute the same equations: {@link ReferenceEngine} with one ND4J
 * operation per equation (readable, portable to any ND4J backend, the reference the other is tested
 * against) and {@link BlasEngine}, which calls ND4J's own OpenBLAS directly and does the small
 * elementwise steps in Java loops over the arrays' memory (fast on the CPU).
 */
public interface Engine extends AutoCloseable {

    /** Which engine: {@code fast} where it applies, else {@code reference}. */
    enum Kind {
        FAST, REFERENCE;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The engine of that kind; FAST needs double or float parameters in CPU memory. */
    static Engine create(Kind kind, Params params, int seqLength) {
        return kind == Kind.FAST ? new BlasEngine(params, seqLength) : new ReferenceEngine(params, seqLength);
    }

    /**
     * Loss and gradients of one window (min-char-rnn's {@code lossFun}), gradients not clipped.
     *
     * @param window vocabulary indices of T+1 characters: inputs are window[0..T), targets window[1..T]
     * @param hprev  (H, 1) hidden state before the window; overwritten with h_{T-1}, the next window's
     * @param grads  overwritten with the gradients
     * @return the window's loss, Σ_t −ln p_t[target_t] in nats
     */
    double lossAndGradients(int[] window, INDArray hprev, Gradients grads);

    /**
     * The loss of one window without gradients (for scoring held-out text); like
     * {@link #lossAndGradients}, carries the hidden state: {@code hprev} becomes h_{T-1}.
     */
    double loss(int[] window, INDArray hprev);

    /** Clips every gradient entry to [−clip, clip], then one Adagrad step on every parameter. */
    void clipAndUpdate(Gradients grads, Adagrad adagrad, double clip);

    /**
     * One training iteration: {@link #lossAndGradients}, then, when the loss is finite,
     * {@link #clipAndUpdate}. An engine may take shortcuts that give the same result.
     *
     * @return the window's loss; when it is not finite, the parameters are left as they were
     */
    default double train(int[] window, INDArray hprev, Gradients grads, Adagrad adagrad, double clip) {
        double loss = lossAndGradients(window, hprev, grads);
        if (Double.isFinite(loss)) {
            clipAndUpdate(grads, adagrad, clip);
        }
        return loss;
    }

    /**
     * One step of the network for sampling: {@code h = tanh(Wxh x + Whh h + bh)} in place, where x is
     * the one-hot of {@code input}, then {@code logits = Why h + by}.
     *
     * @param h      (H, 1) hidden state, updated in place
     * @param logits length V, overwritten
     */
    void step(int input, INDArray h, double[] logits);

    /** Whether this engine keeps both cores of a 2-core machine busy (then nothing else should run beside it). */
    default boolean usesBothCores() {
        return true;
    }

    int seqLength();

    Params params();

    /** Stops the engine's worker thread, if it has one; the engine must not be used afterwards. */
    @Override
    default void close() {
    }
}
