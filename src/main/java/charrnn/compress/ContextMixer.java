package charrnn.compress;

/**
 * The network's prediction mixed with count models and a match model (as PAQ and cmix mix theirs). Count
 * models: of the last 1, 2, 3, 4 and 6 bytes, of the current word's letters (with the previous byte), and
 * of the current and the previous word (with the previous byte); from order 2 on hashed into {@link
 * #MAX_BUCKETS} contexts (fewer for a short file: four times the largest power of two not above its length, at
 * least 256, so that small files take little memory and time). The match model: {@link MatchModel}. With
 * {@code compress --model}, a trained checkpoint's prediction comes last ({@link TrainedModel}). Each model i
 * gives probabilities p_i over the 256 bytes,
 * and the mixture is the normalised geometric mean {@code p ∝ Π p_i^w_i}, its weights learned online by the
 * gradient of the coded byte's loss, {@code w_i += η (ln p_i[y] − Σ_k p[k] ln p_i[k])}, one set of weights
 * per previous byte and state of the match. A count model's probabilities are {@code (n_k + α) / (N + 256 α)}
 * over its context's counts, which are halved once they pass {@link #LIMIT} so that they follow the text as
 * it changes.
 *
 * <p>Both formulas need ln p_i only up to a constant per model (it cancels in the normalisation and in the
 * gradient, as Σ_k p[k] = 1), so the network gives its scores (logits) and a count model ln(n_k + α), read
 * from a table. Float32 in a fixed order, the table by StrictMath: the same bits on any CPU.
 */
final class ContextMixer {
    static final int V = 256;
    /** The order that stands for the word model: the letters since the last byte that is not one. */
    static final int WORD = 0;
    /** The order that stands for the two-word model: the current word's letters and the word before. */
    static final int WORDS = -1;
    /** The count models: the last 1, 2, 3, 4 and 6 bytes, the word, the two words. */
    static final int[] ORDERS = {1, 2, 3, 4, 6, WORD, WORDS};
    static final int MODELS = 1 + ORDERS.length + 1;   // the network, the count models, the match model
    /** The bytes all streams' match models remember together. */
    static final int MATCH_MEMORY = 1 << 23;
    static final int MAX_BUCKETS = 1 << 16;
    private final int shift;        // 64 − log2 of the hashed contexts: a hash's top bits pick its context
    private static final int LIMIT = 1024;
    private static final float ALPHA = 0.02f;
    private static final float RATE = 0.002f;
    /** Weight sets: one per previous byte and state of the match model (none, short, long). */
    static final int SETS = 256 * 3;

    private static int set(long history) {
        return (int) (history & 0xFF);
    }

    private final long[] history;   // each stream's last bytes, the newest in the low byte (0 before its start)
    private final long[] word;      // each stream's hash of its current word's letters (0 between words)
    private final long[] lastWord;  // the hash of the word before
    private int stream;             // of the last mix

    private final short[][] counts = new short[ORDERS.length][];   // [context · V + next byte]
    private final int[][] totals = new int[ORDERS.length][];
    private final int[] context = new int[ORDERS.length];           // of the last mix
    private final int models;                                        // MODELS, and the trained model if any
    private final float[][] weights;                                 // [SETS][models] a set per context of the mix
    private float[] w;                                               // the last mix's set
    private final float[][] logs;                                    // [models][V] ln p_i of the last mix
    private final float[] p = new float[V];
    private final float[] chains = new float[Lanes.CHAINS];        // the dot products' scratch

    private final MatchModel match;
    private final TrainedModel trained;   // or null
    /**
     * The trained model's first weight (measured: 0.3, 0.5, 1 and 2 on the text of {@link TrainedModel#FLOOR};
     * 0.5 codes smallest).
     */
    static final float TRAINED_WEIGHT = 0.5f;

    /** A mixer for a file of {@code length} bytes in B streams of at most {@code longest} bytes each. */
    ContextMixer(int streams, long longest, long length) {
        this(streams, longest, length, null);
    }

    /** The same, with a trained model's prediction as one more model (last), or none when it is null. */
    ContextMixer(int streams, long longest, long length, TrainedModel trained) {
        this.trained = trained;
        models = MODELS + (trained != null ? 1 : 0);
        weights = new float[SETS][models];
        logs = new float[models][V];
        int buckets = (int) Math.max(256, Math.min(MAX_BUCKETS, 4 * Long.highestOneBit(Math.max(1, length))));
        shift = 64 - Integer.numberOfTrailingZeros(buckets);
        match = new MatchModel(streams, longest, MATCH_MEMORY / streams);
        history = new long[streams];
        word = new long[streams];
        lastWord = new long[streams];
        for (int i = 0; i < ORDERS.length; i++) {
            int contexts = ORDERS[i] == 1 ? V : buckets;   // (WORD hashed too)
            counts[i] = new short[contexts * V];
            totals[i] = new int[contexts];
        }
        for (float[] set : weights) {
            set[0] = 1.0f;
            for (int i = 1; i < MODELS; i++) {
                set[i] = 0.1f;
            }
            if (trained != null) {
                set[MODELS] = TRAINED_WEIGHT;
            }
        }
    }

    /** The context of order {@code order} after {@code history} (the last bytes, the newest in the low byte). */
    private int context(int order, long history, long word, long lastWord) {
        if (order == WORDS) {
            return (int) (((word * 0x9E3779B97F4A7C15L + lastWord) * 0xD6E8FEB86659FD93L + (history & 0xFF)) >>> shift);
        }
        if (order == WORD) {
            return (int) ((word * 0x9E3779B97F4A7C15L + (history & 0xFF)) >>> shift);
        }
        if (order == 1) {
            return (int) (history & 0xFF);
        }
        long h = (history & ((1L << (8 * order)) - 1)) * 0x9E3779B97F4A7C15L + order;
        return (int) (h >>> shift);
    }

    /** Stream s's previous byte (0 before its start). */
    int previous(int s) {
        return (int) (history[s] & 0xFF);
    }

    /** The mixture for stream s's next byte, given the network's scores (ln p up to a constant). */
    float[] mix(int s, float[] scores) {
        stream = s;
        long history = this.history[s];
        w = weights[set(history) * 3 + match.state(s)];
        System.arraycopy(scores, 0, logs[0], 0, V);
        for (int i = 0; i < ORDERS.length; i++) {
            context[i] = context(ORDERS[i], history, word[s], lastWord[s]);
            counted(counts[i], context[i] * V, logs[i + 1]);
        }
        match.predict(s, logs[MODELS - 1]);
        if (trained != null) {
            trained.predict(s, logs[MODELS]);
        }
        for (int k = 0; k < V; k++) {                  // p = Σ_i w_i ln p_i, the models in order
            p[k] = w[0] * logs[0][k];
        }
        for (int i = 1; i < models; i++) {
            float wi = w[i];
            float[] li = logs[i];
            for (int k = 0; k < V; k++) {
                p[k] += wi * li[k];
            }
        }
        Lanes.softmax(p, p, V);
        return p;
    }

    /** Byte y came after the last mix: the weights learn from it, the counts take it in, the stream moves on. */
    void update(int y) {
        history[stream] = history[stream] << 8 | y;
        boolean letter = (y | 0x20) >= 'a' && (y | 0x20) <= 'z';
        if (letter) {
            word[stream] = (word[stream] + (y | 0x20) + 1) * 0x2F0F3C6D5A4B7L;
        } else if (word[stream] != 0) {
            lastWord[stream] = word[stream];
            word[stream] = 0;
        }
        for (int i = 0; i < models; i++) {
            float expected = Lanes.dot(p, 0, logs[i], 0, V, chains);   // Σ_k p[k] ln p_i[k]
            w[i] += RATE * (logs[i][y] - expected);
        }
        for (int i = 0; i < ORDERS.length; i++) {
            add(counts[i], totals[i], context[i], y);
        }
        match.update(stream, y, history[stream]);
        if (trained != null) {
            trained.update(stream, y);
        }
    }

    /** ln(n + α) for every count n a context can hold (at most LIMIT + 1 before it is halved). */
    private static final float[] LN = new float[LIMIT + 2];

    static {
        for (int n = 0; n < LN.length; n++) {
            LN[n] = (float) StrictMath.log(n + (double) ALPHA);
        }
    }

    /** A count model's ln p up to a constant: ln(n_k + α). */
    private static void counted(short[] counts, int at, float[] into) {
        for (int k = 0; k < V; k++) {
            into[k] = LN[counts[at + k]];
        }
    }

    private static void add(short[] counts, int[] totals, int context, int y) {
        int at = context * V;
        counts[at + y]++;
        if (++totals[context] > LIMIT) {
            int total = 0;
            for (int k = 0; k < V; k++) {
                counts[at + k] = (short) (counts[at + k] >> 1);
                total += counts[at + k];
            }
            totals[context] = total;
        }
    }
}
