package charrnn.model;

import java.util.Locale;

/**
 * Which implementation computes a network's equations ({@link Network#create}): {@link #FAST}, the
 * kernels (direct BLAS calls and Java loops over the arrays' memory: {@link VanillaKernel} for
 * min-char-rnn's configuration, {@link FastNetwork} for every other), or {@link #REFERENCE},
 * {@link ReferenceNetwork}, one ND4J operation per equation (readable, portable to any ND4J backend, the
 * implementation the kernels are tested against).
 */
public enum Engine {
    FAST, REFERENCE;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
