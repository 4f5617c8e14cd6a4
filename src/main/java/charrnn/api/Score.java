package charrnn.api;

import java.util.Locale;

/**
 * How well a model predicts a text: the mean loss per predicted character in nats (natural log) and in
 * bits, over {@code characters} predictions (every character after the first that the vocabulary holds),
 * and the characters skipped because the vocabulary does not hold them.
 */
public record Score(double natsPerChar, double bitsPerChar, long characters, long skipped) {
    /** {@code 1.5980 nats/char (2.3054 bits/char) over 120,000 characters}, and the skipped ones if any. */
    @Override
    public String toString() {
        String s = String.format(Locale.ROOT, "%.4f nats/char (%.4f bits/char) over %,d characters", natsPerChar,
                bitsPerChar, characters);
        return skipped == 0 ? s : s + String.format(Locale.ROOT, "; %,d outside the vocabulary skipped", skipped);
    }
}
