package charrnn.train;

import charrnn.corpus.Corpus;
import charrnn.corpus.CorpusException;
import charrnn.corpus.Utf8Reader;
import charrnn.corpus.Vocabulary;
import charrnn.model.Engine;
import java.io.IOException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The held-out tail of the corpus (never trained on), scored like training text but without gradients:
 * windows of T+1 characters sharing their boundary character, the hidden state carried from one to the
 * next, starting from zero. Streams from disk, so a large held-out part costs no memory.
 */
final class Validation {
    private final Corpus corpus;
    private final Vocabulary vocabulary;
    private final long startOffset;   // byte offset of the first held-out character
    private final int[] window;
    private final INDArray h;         // (H, 1)

    /** The held-out part: characters [start, N) of {@code corpus}. */
    Validation(Corpus corpus, Vocabulary vocabulary, int seqLength, long start, int hiddenSize, DataType dtype)
            throws IOException {
        this.corpus = corpus;
        this.vocabulary = vocabulary;
        this.startOffset = corpus.byteOffsetOf(start);
        this.window = new int[seqLength + 1];
        this.h = Nd4j.zeros(dtype, hiddenSize, 1);
    }

    /**
     * Mean loss per predicted character, in nats, over every complete window of the held-out text (a last
     * stretch shorter than T predictions is left out).
     */
    double lossPerChar(Engine engine) throws IOException {
        int seqLength = window.length - 1;
        h.assign(0.0);
        double total = 0;
        long predicted = 0;
        try (Utf8Reader reader = corpus.readerAt(startOffset)) {
            window[0] = index(reader.read());
            while (true) {
                for (int t = 1; t <= seqLength; t++) {
                    int cp = reader.read();
                    if (cp < 0) {
                        return predicted == 0 ? Double.NaN : total / predicted;
                    }
                    window[t] = index(cp);
                }
                total += engine.loss(window, h);
                predicted += seqLength;
                window[0] = window[seqLength];
            }
        }
    }

    private int index(int codePoint) {
        int ix = codePoint < 0 ? -1 : vocabulary.indexOf(codePoint);
        if (ix < 0) {
            throw new CorpusException(corpus.path() + " changed while training; it must not change");
        }
        return ix;
    }
}
