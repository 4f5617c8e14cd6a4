package charrnn.api;

/**
 * How to generate: how many characters to draw at most, the seed of the draws, the temperature and an
 * optional stop string. Immutable; each {@code with} method returns a changed copy.
 *
 * <pre>{@code
 * Generation g = Generation.length(500).seed(7).temperature(0.8).stopAt("\n\n");
 * }</pre>
 */
public record Generation(int length, long seed, double temperature, String stopAt) {
    /** The values' checks: a positive length and temperature, no empty stop string (null: none). */
    public Generation {
        if (length <= 0) {
            throw new IllegalArgumentException("length must be a positive integer, got " + length);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive number, got " + temperature);
        }
        if (stopAt != null && stopAt.isEmpty()) {
            throw new IllegalArgumentException("stopAt must not be empty");
        }
    }

    /**
     * Up to {@code length} characters drawn with seed {@value CharRnn#DEFAULT_SEED} and temperature 1, no
     * stop string: what {@code charrnn generate --length N} draws.
     */
    public static Generation length(int length) {
        return new Generation(length, CharRnn.DEFAULT_SEED, 1.0, null);
    }

    /** The seed of the random draws: the same seed gives the same text. */
    public Generation seed(long seed) {
        return new Generation(length, seed, temperature, stopAt);
    }

    /** Divides the logits before the softmax: 1 is the plain draw, lower more conservative, higher wilder. */
    public Generation temperature(double temperature) {
        return new Generation(length, seed, temperature, stopAt);
    }

    /** Stops as soon as the drawn text ends with {@code stop} (which is kept at its end). */
    public Generation stopAt(String stop) {
        return new Generation(length, seed, temperature, stop);
    }

    @Override
    public String toString() {
        return "Generation[length=" + length + ", seed=" + seed + ", temperature=" + temperature
                + (stopAt == null ? "" : ", stopAt=" + stopAt.replace("\n", "\\n")) + "]";
    }
}
