package charrnn.api;

/**
 * How to generate: how many characters to draw at most, the seed of the draws, the temperature, top-k and
 * top-p, and an optional stop string. Immutable; each {@code with} method returns a changed copy.
 *
 * <pre>{@code
 * Generation g = Generation.length(500).seed(7).temperature(0.8).topP(0.9).stopAt("\n\n");
 * }</pre>
 *
 * <p>The draw's controls apply in a fixed order: the temperature divides the logits (0 is the greedy
 * choice: always the most likely character, ties to the lowest index, and top-k and top-p do nothing), then
 * top-k keeps the K most likely characters, then top-p keeps the smallest set of those, most likely first,
 * whose probability reaches P; what is kept is drawn from in proportion. Top-k 0 (or V or more) and top-p 1
 * keep everything: the plain draw, bit for bit.
 *
 * @param topK keep the K most likely characters; 0: all
 * @param topP keep the smallest set whose probability reaches P, in (0, 1]; 1: all
 */
public record Generation(int length, long seed, double temperature, String stopAt, int topK, double topP) {
    /** The largest temperature: beyond it every draw is all but uniform. */
    public static final double MAX_TEMPERATURE = 10;

    /** The values' checks, each failing in one line that names the value. */
    public Generation {
        if (length <= 0) {
            throw new IllegalArgumentException("length must be a positive integer, got " + length);
        }
        if (!(temperature >= 0 && temperature <= MAX_TEMPERATURE)) {
            throw new IllegalArgumentException("temperature must be a number from 0 (greedy) to "
                    + (int) MAX_TEMPERATURE + ", got " + temperature);
        }
        if (stopAt != null && stopAt.isEmpty()) {
            throw new IllegalArgumentException("stopAt must not be empty");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be at least 1, or 0 for all characters, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
    }

    /**
     * Up to {@code length} characters drawn with seed {@value CharRnn#DEFAULT_SEED} and temperature 1, no
     * stop string, neither top-k nor top-p: what {@code charrnn generate --length N} draws.
     */
    public static Generation length(int length) {
        return new Generation(length, CharRnn.DEFAULT_SEED, 1.0, null, 0, 1.0);
    }

    /** The seed of the random draws: the same seed gives the same text. */
    public Generation seed(long seed) {
        return new Generation(length, seed, temperature, stopAt, topK, topP);
    }

    /**
     * Divides the logits before the softmax: 1 is the plain draw, lower more conservative, higher wilder;
     * 0 is the greedy choice. From 0 to {@link #MAX_TEMPERATURE}.
     */
    public Generation temperature(double temperature) {
        return new Generation(length, seed, temperature, stopAt, topK, topP);
    }

    /** Stops as soon as the drawn text ends with {@code stop} (which is kept at its end). */
    public Generation stopAt(String stop) {
        return new Generation(length, seed, temperature, stop, topK, topP);
    }

    /** Draws only from the K most likely characters (after the temperature); 0 keeps all. */
    public Generation topK(int k) {
        return new Generation(length, seed, temperature, stopAt, k, topP);
    }

    /** Draws only from the smallest set of most likely characters whose probability reaches P (after top-k). */
    public Generation topP(double p) {
        return new Generation(length, seed, temperature, stopAt, topK, p);
    }

    @Override
    public String toString() {
        return "Generation[length=" + length + ", seed=" + seed + ", temperature=" + temperature
                + (topK > 0 ? ", topK=" + topK : "") + (topP < 1 ? ", topP=" + topP : "")
                + (stopAt == null ? "" : ", stopAt=" + stopAt.replace("\n", "\\n")) + "]";
    }
}
