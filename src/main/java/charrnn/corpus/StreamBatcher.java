package charrnn.corpus;

import java.io.Closeable;
import java.io.IOException;

/**
 * The windows of B parallel streams: the first {@code limit} characters are cut into B contiguous parts of
 * M = floor(limit / B) characters (stream s reads [s·M, (s+1)·M); the last limit − B·M are never read),
 * each streamed from disk by its own {@link WindowStream}. All streams stand at the same offset p within
 * their part and wrap together by min-char-rnn's rule applied to M; with B = 1 this is exactly the single
 * stream of min-char-rnn.
 */
public final class StreamBatcher implements Closeable {
    private final WindowStream[] streams;

    private StreamBatcher(WindowStream[] streams) {
        this.streams = streams;
    }

    /** B streams from their starts. */
    public static StreamBatcher create(Corpus corpus, Vocabulary vocabulary, int seqLength, long limit, int batchSize)
            throws IOException {
        long[] starts = starts(corpus, seqLength, limit, batchSize);
        WindowStream[] streams = new WindowStream[batchSize];
        for (int s = 0; s < batchSize; s++) {
            streams[s] = new WindowStream(corpus, vocabulary, seqLength, starts[s], limit / batchSize);
        }
        return new StreamBatcher(streams);
    }

    /**
     * B streams continuing where a saved run stood: every stream at offset {@code position} of its part,
     * stream s at byte {@code byteOffsets[s]} of the file.
     */
    public static StreamBatcher resumeAt(Corpus corpus, Vocabulary vocabulary, int seqLength, long limit,
                                         int batchSize, long position, long[] byteOffsets) throws IOException {
        if (byteOffsets.length != batchSize) {
            throw new CorpusException("the checkpoint has the positions of " + byteOffsets.length
                    + " streams, not " + batchSize);
        }
        long[] starts = starts(corpus, seqLength, limit, batchSize);
        WindowStream[] streams = new WindowStream[batchSize];
        for (int s = 0; s < batchSize; s++) {
            streams[s] = WindowStream.resumeAt(corpus, vocabulary, seqLength, starts[s], limit / batchSize, position,
                    byteOffsets[s]);
        }
        return new StreamBatcher(streams);
    }

    /**
     * Some of a batch's streams, each continuing where it stood (stream s of B from
     * {@code WindowStream.resumeAt(corpus, vocabulary, seqLength, startOffsets(...)[s], limit / B, position,
     * byteOffset)}): the streams a charrnn-spark worker owns. They must stand at the same position.
     */
    public static StreamBatcher of(WindowStream... streams) {
        for (WindowStream s : streams) {
            if (s.position() != streams[0].position()) {
                throw new IllegalArgumentException("streams at different positions");
            }
        }
        return new StreamBatcher(streams.clone());
    }

    /** Fails, naming the flag and the largest batch size that fits, when a stream would be shorter than T+1. */
    public static void requireStreams(long limit, int seqLength, int batchSize) {
        long part = limit / batchSize;
        if (part < seqLength + 1L) {
            throw new IllegalArgumentException(String.format(
                    "--batch-size %d cuts %d training characters into streams of %d; each needs at least "
                            + "--seq-length + 1 = %d (at most --batch-size %d)", batchSize, limit, part,
                    seqLength + 1, limit / (seqLength + 1L)));
        }
    }

    /** Byte offsets of the B parts' first characters (one streaming pass up to the last). */
    public static long[] startOffsets(Corpus corpus, int seqLength, long limit, int batchSize) throws IOException {
        return starts(corpus, seqLength, limit, batchSize);
    }

    private static long[] starts(Corpus corpus, int seqLength, long limit, int batchSize) throws IOException {
        requireStreams(limit, seqLength, batchSize);
        long part = limit / batchSize;
        long[] indices = new long[batchSize];
        for (int s = 0; s < batchSize; s++) {
            indices[s] = s * part;
        }
        return corpus.byteOffsetsOf(indices);
    }

    /**
     * Fills {@code windows[s]} (length T+1 each) with stream s's next window.
     *
     * @return true when every stream starts over (the first window, or a wrap): reset the carried state
     */
    public boolean next(int[][] windows) throws IOException {
        boolean restart = false;
        for (int s = 0; s < streams.length; s++) {
            boolean r = streams[s].next(windows[s]);
            if (s == 0) {
                restart = r;
            } else if (r != restart) {
                throw new IllegalStateException("streams out of step");
            }
        }
        return restart;
    }

    public int batchSize() {
        return streams.length;
    }

    /** Offset p of the next windows within their parts, before the wrap rule. */
    public long position() {
        return streams[0].position();
    }

    /** Byte offset in the file of each stream's next window. */
    public long[] byteOffsets() {
        long[] offsets = new long[streams.length];
        for (int s = 0; s < streams.length; s++) {
            offsets[s] = streams[s].byteOffset();
        }
        return offsets;
    }

    @Override
    public void close() throws IOException {
        for (WindowStream s : streams) {
            s.close();
        }
    }
}
