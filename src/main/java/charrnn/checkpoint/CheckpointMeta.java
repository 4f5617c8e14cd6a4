package charrnn.checkpoint;

import charrnn.model.Precision;
import java.util.List;

/**
 * What {@code meta.json} of a checkpoint says.
 *
 * @param vocab      one string per character, sorted by code point
 * @param iteration  iterations completed; 0 means "start training from these weights"
 * @param corpus     where training stands in its corpus, or null (a hand-made checkpoint)
 * @param rngState   the random generator's state, or null (then the stream starts from --seed)
 * @param valFraction the held-out share of the corpus (0 when absent from meta.json)
 */
public record CheckpointMeta(
        List<String> vocab,
        int hiddenSize,
        int seqLength,
        double learningRate,
        double clip,
        Precision precision,
        long iteration,
        double smoothLoss,
        CorpusPosition corpus,
        Long rngState,
        double valFraction) {

    public static final String FORMAT = "charrnn-checkpoint";
    public static final int VERSION = 1;
    /** Any configuration but min-char-rnn's: another cell, more layers or streams, another optimizer, dropout. */
    public static final int DEEP_VERSION = 2;

    public CheckpointMeta {
        vocab = List.copyOf(vocab);
    }

    /**
     * The corpus a run was trained on and where its next window starts.
     *
     * @param position    code-point index of the next window
     * @param byteOffset  byte offset of that character in the file, so resuming seeks instead of re-reading
     * @param fingerprint a cheap identity of the file's content (see {@code Corpus.fingerprint})
     */
    public record CorpusPosition(String path, long bytes, long codePoints, long position, long byteOffset,
                                 String fingerprint) {

        /**
         * Fails, saying how they differ, when {@code corpus} is not the text this position is in (its size,
         * length or first and last MiB differ).
         */
        public void requireSame(charrnn.corpus.Corpus corpus, java.nio.file.Path checkpoint) throws java.io.IOException {
            String what = null;
            if (corpus.bytes() != bytes) {
                what = String.format("it has %d bytes, the checkpoint's corpus had %d", corpus.bytes(), bytes);
            } else if (corpus.codePoints() != codePoints) {
                what = String.format("it has %d characters, the checkpoint's corpus had %d",
                        corpus.codePoints(), codePoints);
            } else if (!corpus.fingerprint().equals(fingerprint)) {
                what = "its first or last MiB differs from the checkpoint's corpus";
            }
            if (what != null) {
                throw new charrnn.corpus.CorpusException(String.format("%s is not the corpus %s was trained on (%s); "
                        + "add --corpus-changed to train on it from its start", corpus.name(), checkpoint, what));
            }
        }
    }
}
