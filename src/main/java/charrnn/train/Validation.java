package charrnn.train;

import charrnn.corpus.Corpus;
import charrnn.corpus.CorpusException;
import charrnn.corpus.Utf8Reader;
import charrnn.corpus.Vocabulary;
import charrnn.model.Engine;
import charrnn.model.ParamSet;
import java.io.IOException;

/**
 * The held-out tail of the corpus (never trained on), scored forward only: cut into S streams as training
 * text is (S = the batch size, fewer when the tail is short), each read in windows of T+1 characters that
 * share their boundary character, the state carried from window to window from zero. With one stream
 * this is min-char-rnn's configuration's scoring: one pass, the hidden state carried. Streams from
 * disk, so a large held-out part costs no memory.
 */
public final class Validation implements AutoCloseable {
    private final Corpus corpus;
    private final Vocabulary vocabulary;
    private final WindowScorer scorer;
    private final long[] startOffsets;   // byte offset of each stream's first character
    private final long windowsPerStream;
    private final int[][] windows;

    /** The held-out part: characters [start, N) of {@code corpus}. */
    public Validation(Corpus corpus, Vocabulary vocabulary, Engine engine, ParamSet params, int seqLength, long start,
                      int batchSize, int threads) throws IOException {
        long held = corpus.codePoints() - start;
        int streams = (int) Math.max(1, Math.min(batchSize, held / (seqLength + 1L)));
        long part = held / streams;
        long[] indices = new long[streams];
        for (int s = 0; s < streams; s++) {
            indices[s] = start + s * part;
        }
        this.corpus = corpus;
        this.vocabulary = vocabulary;
        this.startOffsets = corpus.byteOffsetsOf(indices);
        this.windowsPerStream = (part - 1) / seqLength;   // window w reads [wT, wT + T] of the part
        this.scorer = new WindowScorer(engine, params, streams, seqLength, threads);
        this.windows = new int[streams][seqLength + 1];
    }

    /** Stops the network's worker thread. */
    @Override
    public void close() {
        scorer.close();
    }

    /** Mean loss per predicted character, in nats, over every complete window of every stream. */
    public double lossPerChar() throws IOException {
        int streams = windows.length;
        int seqLength = windows[0].length - 1;
        if (windowsPerStream == 0) {
            return Double.NaN;
        }
        scorer.reset();
        Utf8Reader[] readers = new Utf8Reader[streams];
        try {
            for (int s = 0; s < streams; s++) {
                readers[s] = corpus.readerAt(startOffsets[s]);
                windows[s][0] = index(readers[s].read());
            }
            for (long w = 0; w < windowsPerStream; w++) {
                for (int s = 0; s < streams; s++) {
                    for (int t = 1; t <= seqLength; t++) {
                        windows[s][t] = index(readers[s].read());
                    }
                }
                scorer.add(windows);
                for (int[] window : windows) {
                    window[0] = window[seqLength];
                }
            }
            return scorer.natsPerChar();
        } finally {
            for (Utf8Reader r : readers) {
                if (r != null) {
                    r.close();
                }
            }
        }
    }

    private int index(int codePoint) {
        int ix = codePoint < 0 ? -1 : vocabulary.indexOf(codePoint);
        if (ix < 0) {
            throw new CorpusException(corpus.name() + " changed while training; it must not change");
        }
        return ix;
    }
}
