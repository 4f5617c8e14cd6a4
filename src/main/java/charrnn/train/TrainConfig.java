package charrnn.train;

import charrnn.checkpoint.ModelMeta;
import charrnn.model.CellType;
import charrnn.model.Engine;
import charrnn.model.ModelSpec;
import charrnn.model.Precision;
import charrnn.optim.LossNormalization;
import charrnn.optim.OptimizerConfig;
import charrnn.util.Names;
import charrnn.util.Rng;
import charrnn.util.Threads;

/**
 * Hyperparameters and schedule of a training run. Messages name the command-line flag, the rule and
 * the value, since that is where a bad value comes from.
 *
 * @param maxIterations total iterations after which training stops; {@link #UNLIMITED} runs until stopped
 * @param threads       the threads the engine runs on (not a hyperparameter: the bits do not depend on it,
 *                      and a checkpoint does not record it)
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
        Engine engine,
        double valFraction,
        int evalEvery,
        DeepOptions deep,
        double maxMinutes,
        int threads) implements java.io.Serializable {

    public static final long UNLIMITED = Long.MAX_VALUE;

    /**
     * What goes beyond min-char-rnn: the cell, stacked layers, parallel streams, the optimizer, dropout,
     * the input embedding and the loss's normalization. {@link #MIN_CHAR} is min-char-rnn itself (one rnn
     * layer, one stream, adagrad, no dropout, one-hot input, summed loss).
     *
     * @param embeddingSize E of layer 0's learned input embedding; 0: one-hot input
     * @param lrDecay       the last fraction of the run over which the learning rate falls linearly to 0;
     *                      0: constant
     */
    public record DeepOptions(CellType cell, int layers, int batchSize, OptimizerConfig.Kind optimizer,
                              double dropout, int embeddingSize, LossNormalization loss, double lrDecay)
            implements java.io.Serializable {
        public static final DeepOptions MIN_CHAR = new DeepOptions(CellType.RNN, 1, 1, OptimizerConfig.Kind.ADAGRAD, 0);

        /** One-hot input and the summed loss, as every run before those options. */
        public DeepOptions(CellType cell, int layers, int batchSize, OptimizerConfig.Kind optimizer, double dropout) {
            this(cell, layers, batchSize, optimizer, dropout, 0, LossNormalization.SUM, 0);
        }

        public DeepOptions {
            if (cell == null) {
                throw new IllegalArgumentException(Names.mustBe("--cell", CellType.class));
            }
            positive("--layers", layers);
            positive("--batch-size", batchSize);
            if (optimizer == null) {
                throw new IllegalArgumentException(Names.mustBe("--optimizer", OptimizerConfig.Kind.class));
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("--dropout must be within [0, 1), got " + dropout);
            }
            if (embeddingSize < 0) {
                throw new IllegalArgumentException("--embedding-size must be 0 (one-hot input) or a positive "
                        + "integer, got " + embeddingSize);
            }
            if (loss == null) {
                throw new IllegalArgumentException(Names.mustBe("--loss", LossNormalization.class));
            }
            if (!(lrDecay >= 0 && lrDecay <= 1)) {
                throw new IllegalArgumentException("--lr-decay must be within [0, 1], got " + lrDecay);
            }
        }

        /** Whether this is min-char-rnn's configuration, saved as format version 1 and run on the vanilla kernel. */
        public boolean isMinCharConfiguration() {
            return ModelMeta.isMinCharConfiguration(cell, layers, embeddingSize, batchSize, optimizer,
                    OptimizerConfig.EPSILON, dropout, loss, lrDecay);
        }
    }

    /** What a checkpoint records of this run's model and optimizer besides the arrays. */
    public ModelMeta modelMeta(OptimizerConfig optimizer, long optimizerStep, Long dropoutState, long[] byteOffsets) {
        DeepOptions d = deep;
        return new ModelMeta(d.cell(), d.layers(), d.batchSize(), optimizer, optimizerStep, d.dropout(), dropoutState,
                byteOffsets, d.embeddingSize(), d.loss(), d.lrDecay());
    }

    /** min-char-rnn's configuration, without a time limit. */
    public TrainConfig(int hiddenSize, int seqLength, double learningRate, double clip, int sampleEvery,
                       int sampleLength, int logEvery, long maxIterations, long seed, Precision precision,
                       Engine engine, double valFraction, int evalEvery) {
        this(hiddenSize, seqLength, learningRate, clip, sampleEvery, sampleLength, logEvery, maxIterations, seed,
                precision, engine, valFraction, evalEvery, DeepOptions.MIN_CHAR, Double.POSITIVE_INFINITY);
    }

    /** On as many threads as the JVM has cores. */
    public TrainConfig(int hiddenSize, int seqLength, double learningRate, double clip, int sampleEvery,
                       int sampleLength, int logEvery, long maxIterations, long seed, Precision precision,
                       Engine engine, double valFraction, int evalEvery, DeepOptions deep, double maxMinutes) {
        this(hiddenSize, seqLength, learningRate, clip, sampleEvery, sampleLength, logEvery, maxIterations, seed,
                precision, engine, valFraction, evalEvery, deep, maxMinutes, Threads.available());
    }

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
            throw new IllegalArgumentException(Names.mustBe("--engine", Engine.class));
        }
        if (deep == null) {
            throw new IllegalArgumentException("missing the model's options");
        }
        if (!(maxMinutes > 0)) {
            throw new IllegalArgumentException("--max-minutes must be a positive number, got " + maxMinutes);
        }
        Threads.check(threads);
        if (deep.lrDecay() > 0 && maxIterations == UNLIMITED && Double.isInfinite(maxMinutes)) {
            throw new IllegalArgumentException("--lr-decay " + deep.lrDecay() + " needs --max-iterations or "
                    + "--max-minutes: it lowers the learning rate over the last part of a run that has an end");
        }
    }

    /** The dropout masks' random stream of a fresh run: its own, seeded from the run's stream, or none. */
    public Rng dropoutRng(Rng rng) {
        return deep.dropout() > 0 ? new Rng(rng.nextLong()) : null;
    }

    /** The model's shape over a vocabulary of {@code vocabSize} characters. */
    public ModelSpec spec(int vocabSize) {
        return new ModelSpec(deep.cell(), deep.layers(), hiddenSize, vocabSize, precision, deep.embeddingSize());
    }

    /**
     * The schedule's factor of the learning rate for iteration {@code n} (0-based, counted from the start
     * of training) after {@code minutes} of training in this session: 1 until the last {@code lrDecay} of
     * the run, then falling linearly to 0 at its end. The run's length is --max-iterations or --max-minutes,
     * whichever ends first; with --max-iterations alone the factor depends on n only, so a resumed run
     * continues the schedule bit for bit.
     */
    public double learningRateScale(long n, double minutes) {
        if (deep.lrDecay() == 0) {
            return 1.0;
        }
        double done = Math.max(maxIterations == UNLIMITED ? 0 : (double) n / maxIterations,
                Double.isInfinite(maxMinutes) ? 0 : minutes / maxMinutes);
        return Math.max(0.0, Math.min(1.0, (1.0 - done) / deep.lrDecay()));
    }

    /** The optimizer with this run's learning rate and its default constants. */
    public OptimizerConfig optimizer() {
        return OptimizerConfig.of(deep.optimizer(), learningRate);
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
