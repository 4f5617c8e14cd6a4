package charrnn.optim;

import charrnn.util.Names;
import java.util.Locale;

/**
 * What the gradients are gradients of, and so what clipping and the optimizer see. The loss a run prints
 * is the same either way (min-char-rnn's window sum, and per character).
 *
 * <ul>
 *   <li>{@link #SUM}: the window loss Σ_t −ln p_t[target_t] summed over its T characters and averaged over
 *       the B streams: min-char-rnn's and char-rnn's convention, and every checkpoint's before this option.
 *   <li>{@link #MEAN}: the same loss averaged over all B·T characters, as PyTorch's
 *       {@code CrossEntropyLoss}, torch-rnn and nanoGPT compute it: the gradients of {@link #SUM} divided
 *       by T, so that an elementwise clip of ±5 almost never binds.
 * </ul>
 */
public enum LossNormalization {
    SUM, MEAN;

    /** The factor from the gradients of the summed window loss (averaged over streams) to these. */
    public double gradientScale(int seqLength) {
        return this == SUM ? 1.0 : 1.0 / seqLength;
    }

    /** "sum" or "mean", or null for another name. */
    public static LossNormalization parse(String name) {
        return Names.parse(LossNormalization.class, name);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
