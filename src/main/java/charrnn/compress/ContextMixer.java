package charrnn.compress;

/**
 * Count models of the last 1, 2, 3, 4 and 6 bytes, mixed with the network's prediction (as PAQ and cmix mix
 * theirs): each model i gives probabilities p_i over the 256 bytes, and the mixture is the normalised
 * geometric mean {@code p ∝ Π p_i^w_i}, its weights learned online by the gradient of the coded byte's
 * loss, {@code w_i += η (ln p_i[y] − Σ_k p[k] ln p_i[k])}, one set of weights per previous byte. A count model's probabilities are
 * {@code (n_k + α) / (N + 256 α)} over its context's counts, which are halved once they pass {@link #LIMIT}
 * so that they follow the text as it changes. Float32 in a fixed order, logarithms by StrictMath: the same
 * bits on any CPU.
 */
final class ContextMixer {
    static final int V = 256;
    /** The count models' orders: the last 1, 2, 3, 4 and 6 bytes (from 2 on hashed into {@link #BUCKETS} contexts). */
    static final int[] ORDERS = {1, 2, 3, 4, 6};
    static final int MODELS = 1 + ORDERS.length;   // the network, then the count models
    private static final int BUCKETS = 1 << 16;
    private static final int LIMIT = 1024;
    private static final float ALPHA = 0.02f;
    private static final float RATE = 0.005f;
    /** Weight sets: one per previous byte. */
    static final int SETS = 256;

    private static int set(long history) {
        return (int) (history & 0xFF);
    }

    private final short[][] counts = new short[ORDERS.length][];   // [context · V + next byte]
    private final int[][] totals = new int[ORDERS.length][];
    private final int[] context = new int[ORDERS.length];           // of the last mix
    private final float[][] weights = new float[SETS][MODELS];     // a set per context of the mix (SETS)
    private float[] w;                                               // the last mix's set
    private final float[][] logs = new float[MODELS][V];            // ln p_i of the last mix
    private final float[] p = new float[V];

    ContextMixer() {
        for (int i = 0; i < ORDERS.length; i++) {
            int contexts = ORDERS[i] == 1 ? V : BUCKETS;
            counts[i] = new short[contexts * V];
            totals[i] = new int[contexts];
        }
        for (float[] set : weights) {
            set[0] = 1.0f;
            for (int i = 1; i < MODELS; i++) {
                set[i] = 0.1f;
            }
        }
    }

    /** The context of order {@code order} after {@code history} (the last bytes, the newest in the low byte). */
    private static int context(int order, long history) {
        if (order == 1) {
            return (int) (history & 0xFF);
        }
        long h = (history & ((1L << (8 * order)) - 1)) * 0x9E3779B97F4A7C15L + order;
        return (int) (h >>> 48);   // the top 16 bits: BUCKETS contexts
    }

    /** The mixture after a stream's {@code history} (its last bytes, newest in the low byte; 0 before its start). */
    float[] mix(float[] network, long history) {
        w = weights[set(history)];
        logsOf(network, logs[0]);
        for (int i = 0; i < ORDERS.length; i++) {
            context[i] = context(ORDERS[i], history);
            counted(counts[i], context[i] * V, totals[i][context[i]], logs[i + 1]);
        }
        for (int k = 0; k < V; k++) {
            float q = 0;
            for (int i = 0; i < MODELS; i++) {
                q += w[i] * logs[i][k];
            }
            p[k] = q;
        }
        Lanes.softmax(p, p, V);
        return p;
    }

    /** Byte y came after the last mix: the weights learn from it and the counts take it in. */
    void update(int y) {
        for (int i = 0; i < MODELS; i++) {
            float expected = 0;
            for (int k = 0; k < V; k++) {
                expected += p[k] * logs[i][k];
            }
            w[i] += RATE * (logs[i][y] - expected);
        }
        for (int i = 0; i < ORDERS.length; i++) {
            add(counts[i], totals[i], context[i], y);
        }
    }

    private static void logsOf(float[] p, float[] into) {
        for (int k = 0; k < V; k++) {
            into[k] = (float) StrictMath.log(Math.max(p[k], Float.MIN_NORMAL));
        }
    }

    private static void counted(short[] counts, int at, int total, float[] into) {
        float denominator = total + V * ALPHA;
        for (int k = 0; k < V; k++) {
            into[k] = (float) StrictMath.log((counts[at + k] + ALPHA) / denominator);
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
