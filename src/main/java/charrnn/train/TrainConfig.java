package charrnn.train;

import charrnn.model.Engine;
import charrnn.model.Precision;

/**
 * Hyperparameters and schedule of a training run. Messages name the command-line flag, the rule and
 * the value, since that is where a bad value comes from.
 *
 * @param maxIterations total iterations after which training stops; {@link #UNLIMITED} runs until stopped
 */
public record TrainConfig(
        int hiddenSize,
        int seqLength,
        double learningRate,
        double clip,
        int sampleEvery,
        int sampleLength,
        int logEvery,
        long maxIterations,
        long seed,
        Precision precision,
        Engine.Kind engine,
        double valFraction,
        int evalEvery) {

    public static final long UNLIMITED = Long.MAX_VALUE;

    public TrainConfig {
        positive("--hidden-size", hiddenSize);
        positive("--seq-length", seqLength);
        positive("--learning-rate", learningRate);
        positive("--clip", clip);
        notNegative("--sample-every", sampleEvery);
        positive("--sample-length", sampleLength);
        notNegative("--log-every", logEvery);
        positive("--max-iterations", maxIterations);
        if (precision == null) {
            throw new IllegalArgumentException("--dtype must be double or float");
        }
        if (!(valFraction >= 0 && valFraction <= 0.5)) {
            throw new IllegalArgumentException("--val-fraction must be within [0, 0.5], got " + valFraction);
        }
        positive("--eval-every", evalEvery);
        if (engine == null) {
            throw new IllegalArgumentException("--engine must be fast or reference");
        }
    }

    /** min-char-rnn's settings: H=100, T=25, learning rate 0.1, clip 5, sample and log every 100. */
    public static TrainConfig defaults() {
        return new TrainConfig(100, 25, 0.1, 5.0, 100, 200, 100, UNLIMITED, 42, Precision.DOUBLE, Engine.Kind.FAST,
                0.0, 1000);
    }

    public TrainConfig withMaxIterations(long n) {
        return new TrainConfig(hiddenSize, seqLength, learningRate, clip, sampleEvery, sampleLength, logEvery,
                n, seed, precision, engine, valFraction, evalEvery);
    }

    /**
     * How many characters of a corpus of {@code n} are trained on: all but the last {@code valFraction},
     * which is held out. Fails, naming the flag, when either part is shorter than one window.
     */
    public long trainLength(long n) {
        long held = (long) Math.floor(valFraction * n);
        if (valFraction > 0 && (held < seqLength + 1L || n - held < seqLength + 1L)) {
            throw new IllegalArgumentException(String.format(
                    "--val-fraction %s of %d characters leaves %d for training and %d for validation; each needs "
                            + "at least --seq-length + 1 = %d", valFraction, n, n - held, held, seqLength + 1));
        }
        return n - held;
    }

    private static void positive(String flag, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(flag + " must be a positive integer, got " + value);
        }
    }

    private static void notNegative(String flag, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(flag + " must be 0 (off) or a positive integer, got " + value);
        }
    }

    private static void positive(String flag, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(flag + " must be a positive number, got " + value);
        }
    }
}
