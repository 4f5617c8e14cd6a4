package charrnn.corpus;

import java.io.Closeable;
import java.io.IOException;

/**
 * Streams min-char-rnn's training windows from disk: window n holds the vocabulary indices of the
 * characters [p, p+T] (inputs are [p, p+T), targets [p+1, p+T]), and p advances by T each time.
 *
 * <p>The wrap rule, exactly as min-char-rnn: before a window, if it is the first one or
 * {@code p + T + 1 >= N} (N = the corpus length in code points), p goes back to 0 and the caller
 * must reset its hidden state; {@link #next} says when that happened. Consecutive windows share one
 * character (the last of one is the first of the next), which is carried over rather than re-read.
 */
public final class WindowStream implements Closeable {
    private final Corpus corpus;
    private final Vocabulary vocabulary;
    private final int seqLength;
    private final long limit;         // characters [0, limit) are trained on; the rest is held out
    private final long startByte;     // file offset of character 0 of this stretch
    private Utf8Reader reader;
    private long position = 0;        // p: code-point index of the next window's first character
    private long byteOffset;          // file offset of that character
    private int carry = -1;           // vocabulary index of that character, -1 before the first window

    /** Windows from the start of {@code corpus}, as indices into its own vocabulary. */
    public WindowStream(Corpus corpus, int seqLength) {
        this(corpus, corpus.vocabulary(), seqLength, corpus.codePoints());
    }

    /**
     * Windows from the start of {@code corpus}, as indices into {@code vocabulary} (a model's, which must
     * hold every character of the corpus), over its first {@code limit} characters only: the wrap rule
     * treats {@code limit} as the length of the text, so no window reaches past it.
     */
    public WindowStream(Corpus corpus, Vocabulary vocabulary, int seqLength, long limit) {
        this(corpus, vocabulary, seqLength, corpus.dataStart(), limit);
    }

    /**
     * Windows of the stretch of {@code limit} characters that starts at byte {@code startByte} of
     * {@code corpus} (one stream of a batch): positions count from its start, and the wrap rule treats
     * {@code limit} as the length of the text.
     */
    public WindowStream(Corpus corpus, Vocabulary vocabulary, int seqLength, long startByte, long limit) {
        corpus.requireWindow(seqLength);
        if (limit < seqLength + 1L || limit > corpus.codePoints()) {
            throw new IllegalArgumentException("a training limit of " + limit + " characters does not fit "
                    + corpus.name() + " and windows of " + (seqLength + 1));
        }
        this.limit = limit;
        int missing = vocabulary.firstMissing(corpus.vocabulary());
        if (missing >= 0) {
            throw new CorpusException(String.format("%s has the character %s, which is not in the model's vocabulary",
                    corpus.name(), Vocabulary.describe(missing)));
        }
        this.corpus = corpus;
        this.vocabulary = vocabulary;
        this.seqLength = seqLength;
        this.startByte = startByte;
        this.byteOffset = startByte;
    }

    /**
     * Windows continuing where an earlier stream stood: the next window starts at code point
     * {@code position}, found at {@code byteOffset} in the file (so a large corpus is not re-read).
     */
    public static WindowStream resumeAt(Corpus corpus, Vocabulary vocabulary, int seqLength, long limit, long position,
                                        long byteOffset) throws IOException {
        return resumeAt(corpus, vocabulary, seqLength, corpus.dataStart(), limit, position, byteOffset);
    }

    /** {@link #resumeAt(Corpus, Vocabulary, int, long, long, long)} for a stretch starting at {@code startByte}. */
    public static WindowStream resumeAt(Corpus corpus, Vocabulary vocabulary, int seqLength, long startByte,
                                        long limit, long position, long byteOffset) throws IOException {
        if (position < 0 || position >= limit || byteOffset < startByte
                || byteOffset >= corpus.bytes()) {
            throw new CorpusException(String.format("position %d (byte offset %d) is outside %s (%d characters, %d bytes)",
                    position, byteOffset, corpus.name(), corpus.codePoints(), corpus.bytes()));
        }
        WindowStream windows = new WindowStream(corpus, vocabulary, seqLength, startByte, limit);
        windows.reader = new Utf8Reader(corpus.openAt(byteOffset), byteOffset);
        windows.position = position;
        windows.carry = windows.nextIndex();
        windows.byteOffset = byteOffset;
        return windows;
    }

    /**
     * Fills {@code window} (length T+1) with the next window's character indices.
     *
     * @return true when the window starts over at p = 0 (the first window, or a wrap): the caller
     *     resets its hidden state
     */
    public boolean next(int[] window) throws IOException {
        if (window.length != seqLength + 1) {
            throw new IllegalArgumentException("window must hold T+1 = " + (seqLength + 1) + " indices");
        }
        boolean restart = carry < 0 || position + seqLength + 1 >= limit;
        if (restart) {
            rewind();
        }
        window[0] = carry;
        for (int t = 1; t <= seqLength; t++) {
            window[t] = nextIndex();
        }
        carry = window[seqLength];
        byteOffset = reader.lastStart();
        position += seqLength;
        return restart;
    }

    /** Code-point index of the next window's first character, before the wrap rule is applied. */
    public long position() {
        return position;
    }

    /** Byte offset in the file of the next window's first character. */
    public long byteOffset() {
        return byteOffset;
    }

    private void rewind() throws IOException {
        close();
        reader = new Utf8Reader(corpus.openAt(startByte), startByte);
        position = 0;
        carry = nextIndex();
        byteOffset = reader.lastStart();
    }

    private int nextIndex() throws IOException {
        int cp = reader.read();
        if (cp < 0) {
            throw new CorpusException(corpus.name() + " became shorter while training; it must not change");
        }
        int ix = vocabulary.indexOf(cp);
        if (ix < 0) {
            throw new CorpusException(String.format("%s changed while training: U+%04X is not in its vocabulary",
                    corpus.name(), cp));
        }
        return ix;
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
