package charrnn.optim;

import charrnn.util.Names;
import java.util.Locale;

/**
 * Which optimizer and its constants. Defaults: adagrad lr 0.1 (min-char-rnn's); rmsprop lr 0.002,
 * α = 0.95; adam lr 0.002, β1 = 0.9, β2 = 0.999 (PyTorch's); ε = 1e-8 for all three.
 *
 * @param alpha   rmsprop's decay of the mean square
 * @param beta1   adam's decay of the mean
 * @param beta2   adam's decay of the mean square
 * @param epsilon inside the square root for adagrad, added to it for rmsprop and adam
 */
public record OptimizerConfig(Kind kind, double learningRate, double alpha, double beta1, double beta2,
                              double epsilon) implements java.io.Serializable {

    /** The three optimizers, with their default learning rates. */
    public enum Kind {
        ADAGRAD(0.1), RMSPROP(0.002), ADAM(0.002);

        public final double defaultLearningRate;

        Kind(double defaultLearningRate) {
            this.defaultLearningRate = defaultLearningRate;
        }

        /** The optimizer of that name ("adagrad", "rmsprop", "adam"), or null. */
        public static Kind parse(String name) {
            return Names.parse(Kind.class, name);
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final double ALPHA = 0.95;
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPSILON = charrnn.numeric.FusedAdagrad.EPSILON;

    public OptimizerConfig {
        if (kind == null) {
            throw new IllegalArgumentException("--optimizer must be adagrad, rmsprop or adam");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("--learning-rate must be a positive number, got " + learningRate);
        }
        for (double decay : new double[] {alpha, beta1, beta2}) {
            if (!(decay >= 0 && decay < 1)) {
                throw new IllegalArgumentException("optimizer decay constants must be within [0, 1), got " + decay);
            }
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("optimizer epsilon must be a positive number, got " + epsilon);
        }
    }

    /** The optimizer with its default constants and the given learning rate (NaN: its default). */
    public static OptimizerConfig of(Kind kind, double learningRate) {
        return new OptimizerConfig(kind, Double.isNaN(learningRate) ? kind.defaultLearningRate : learningRate,
                ALPHA, BETA1, BETA2, EPSILON);
    }
}
