package charrnn.train;

import charrnn.model.Engine;
import charrnn.model.Network;
import charrnn.model.ParamSet;
import charrnn.model.StreamState;

/**
 * The loss of a text read in windows of T+1 characters per stream that share their boundary character,
 * the state carried from each window to the next from zero, forward only: how training scores its
 * held-out text ({@link Validation}, several streams) and how {@code CharRnn.score} scores a text (one
 * stream, and a last window shorter than T).
 */
public final class WindowScorer implements AutoCloseable {
    private final Engine engine;
    private final ParamSet params;
    private final Network network;
    private final StreamState state;
    private final int seqLength;
    private double total;        // Σ −ln p of the characters predicted so far
    private long predicted;
    private final int threads;

    /** Scores {@code streams} streams at once, windows of {@code seqLength}, on {@code threads} threads. */
    public WindowScorer(Engine engine, ParamSet params, int streams, int seqLength, int threads) {
        this.engine = engine;
        this.threads = threads;
        this.params = params;
        this.seqLength = seqLength;
        this.network = Network.create(engine, params, streams, seqLength, 0, threads);
        this.state = StreamState.zeros(params.spec(), streams);
    }

    /** Back to a zero state and no characters scored. */
    public void reset() {
        state.reset();
        total = 0;
        predicted = 0;
    }

    /** One window of every stream: [B][T+1] vocabulary indices, the first each stream's previous last. */
    public void add(int[][] windows) {
        total += network.forward(windows, state, null) * windows.length;   // (forward averages over the streams)
        predicted += (long) seqLength * windows.length;
    }

    /**
     * The loss (Σ −ln p) of a last window of one stream shorter than T, {@code window.length − 1}
     * predictions, by the same equations on a network of that length from the state as it stands; the
     * scorer is left as it was (the text may go on).
     */
    public double lossOfShortWindow(int[] window) {
        int t = window.length - 1;
        if (t < 1) {
            return 0;
        }
        try (Network shorter = Network.create(engine, params, 1, t, 0, threads)) {
            StreamState copy = StreamState.zeros(params.spec(), 1);
            copy.assign(state);
            return shorter.forward(new int[][] {window}, copy, null);
        }
    }

    /** Σ −ln p of the characters predicted so far. */
    public double total() {
        return total;
    }

    /** The mean loss per predicted character, in nats; NaN before any. */
    public double natsPerChar() {
        return predicted == 0 ? Double.NaN : total / predicted;
    }

    /** The characters predicted so far. */
    public long predicted() {
        return predicted;
    }

    @Override
    public void close() {
        network.close();
    }
}
