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
    }
}
