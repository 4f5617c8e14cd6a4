package charrnn.model;

/**
 * A stack of recurrent layers and a softmax decoder over one window of T characters for each of B
 * streams (see {@link StackedNetwork} for the equations). Two implementations compute the same
 * equations: {@link StackedNetwork}, one ND4J operation per equation (the reference), and
 * {@link FastStackedNetwork}, direct BLAS calls and Java loops.
 */
public interface BatchNetwork extends AutoCloseable {

    /** The network of that kind over {@code params}. */
    static BatchNetwork create(Engine.Kind kind, ParamSet params, int batchSize, int seqLength, double dropout) {
        return kind == Engine.Kind.FAST ? new FastStackedNetwork(params, batchSize, seqLength, dropout)
                : new StackedNetwork(params, batchSize, seqLength, dropout);
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
