package charrnn.model;

import charrnn.util.Rng;

/**
 * A stack of recurrent layers and a softmax decoder over one window of T characters for each of B
 * streams (see {@link ReferenceNetwork} for the equations). Two implementations compute the same
 * equations: {@link ReferenceNetwork}, one ND4J operation per equation (the reference), and
 * {@link FastNetwork}, direct BLAS calls and Java loops.
 */
public interface Network extends AutoCloseable {

    /**
     * The network of that kind over {@code params}. FAST: min-char-rnn's configuration (one rnn layer
     * reading one-hot characters, one stream, no dropout) runs on the vanilla kernel ({@link VanillaNetwork}),
     * every other on {@link FastNetwork}, over {@code threads} threads (the bits do not depend on it; the
     * reference network runs on the calling thread).
     */
    static Network create(Engine kind, ParamSet params, int batchSize, int seqLength, double dropout, int threads) {
        if (kind == Engine.REFERENCE) {
            return new ReferenceNetwork(params, batchSize, seqLength, dropout);
        }
        return VanillaNetwork.fits(params.spec(), batchSize, dropout) ? new VanillaNetwork(params, seqLength, threads)
                : new FastNetwork(params, batchSize, seqLength, dropout, threads);
    }

    /**
     * One training iteration: {@link #forward}, {@link #backward}, then {@code update} applied when the loss
     * is finite (skipped otherwise). A network may apply it on its threads or fused into its backward pass
     * where that gives the same bits.
     *
     * @return the loss, as {@link #forward}'s; when it is not finite, the parameters are left as they were
     */
    default double train(int[][] windows, StreamState state, Rng dropoutRng, ParamSet grads, GradientUpdate update) {
        double loss = forward(windows, state, dropoutRng);
        backward(grads);
        if (Double.isFinite(loss)) {
            update.apply(params(), grads);
        } else {
            update.skip(grads);
        }
        return loss;
    }

    /**
     * One step for sampling: feeds {@code input} to stream 0 of {@code state} (one stream), which moves on,
     * and writes the logits of the next character (length V). The network must have T = 1 and B = 1.
     */
    default void step(int input, StreamState state, double[] logits) {
        int[][] window = {{input, 0}};   // the target only feeds a loss nobody reads
        forward(window, state, null);
        logits(0, 0, logits);
    }

    /** Whether the network keeps both cores of a 2-core machine busy (then nothing else should run beside it). */
    default boolean usesBothCores() {
        return true;
    }

    /**
     * The forward pass over one window of every stream, from the carried {@code state}, which becomes the
     * state after step T−1 (the next window's).
     *
     * @param windows    [B][T+1] vocabulary indices: inputs are [0, T), targets [1, T]
     * @param dropoutRng the random stream of the dropout masks in training; null: no dropout (scoring)
     * @return the loss: Σ_t −ln p_t[target_t], averaged over the streams
     */
    double forward(int[][] windows, StreamState state, Rng dropoutRng);

    /** Gradients of the last {@link #forward}'s loss, not clipped, into {@code grads}. */
    void backward(ParamSet grads);

    /** Logits of step t of stream s of the last forward pass (length V), into {@code logits}. */
    void logits(int t, int s, double[] logits);

    ModelSpec spec();

    ParamSet params();

    int batchSize();

    int seqLength();

    /** Stops the network's worker thread, if it has one; the network must not be used afterwards. */
    @Override
    default void close() {
    }
}
