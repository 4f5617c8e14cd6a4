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
