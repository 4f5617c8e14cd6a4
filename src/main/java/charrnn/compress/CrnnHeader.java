package charrnn.compress;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The header of a {@code .crnn} file: what the decoder needs to make the encoder's probabilities again
 * (the model's configuration and how it learns while it codes, or the SHA-256 of the checkpoint it coded
 * with), the original's length and CRC-32C, and a CRC-32C of the header itself. Fixed size, big-endian; the
 * reader checks every field's range before anything is allocated from it, so no file can make it hang or
 * allocate without bound. The range-coded bytes follow.
 *
 * @param cell          0 rnn, 1 lstm, 2 gru
 * @param layers        1 to {@link #MAX_LAYERS}
 * @param hiddenSize    1 to {@link #MAX_SIZE}
 * @param embeddingSize 1 to {@link #MAX_SIZE}
 * @param streams       B, the segments coded side by side, 1 to {@link #MAX_SIZE}
 * @param window        T, the bytes of a stream coded between two training steps, 1 to {@link #MAX_SIZE}
 * @param learningRate  Adam's, positive and finite; 0: the model does not learn while it codes
 * @param seed          of the initial weights (an online model's)
 * @param checkpoint    SHA-256 of the checkpoint the file was coded with, or null (an online model)
 * @param length        the original's length in bytes
 * @param crc           CRC-32C of the original
 */
public record CrnnHeader(int cell, int layers, int hiddenSize, int embeddingSize, int streams, int window,
                         double learningRate, long seed, byte[] checkpoint, long length, int crc) {
    /** "CRNN", then the format version. */
    static final byte[] MAGIC = {'C', 'R', 'N', 'N'};
    public static final int VERSION = 2;
    public static final int SIZE = 4 + 1 + 1 + 1 + 4 * 2 + 8 + 8 + 1 + 32 + 8 + 4 + 4;
    static final int MAX_LAYERS = 8;
    static final int MAX_SIZE = 4096;
    /** 2⁴⁸ bytes: more than any file this coder will see, little enough that counts stay exact in a double. */
    static final long MAX_LENGTH = 1L << 48;

    public CrnnHeader {
        require(cell >= 0 && cell <= 2, "cell " + cell);
        require(layers >= 1 && layers <= MAX_LAYERS, "layers " + layers);
        require(within(hiddenSize) && within(embeddingSize) && within(streams) && within(window),
                "sizes " + hiddenSize + ", " + embeddingSize + ", " + streams + ", " + window);
        require(learningRate >= 0 && learningRate < Double.POSITIVE_INFINITY, "learning rate " + learningRate);
        if (checkpoint != null) {
            require(checkpoint.length == 32, "a checkpoint's digest of " + checkpoint.length + " bytes");
        }
        require(length >= 0 && length <= MAX_LENGTH, "length " + length);
        checkpoint = checkpoint == null ? null : checkpoint.clone();
    }

    private static boolean within(int size) {
        return size >= 1 && size <= MAX_SIZE;
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("a .crnn header cannot hold " + what);
        }
    }

    public void write(OutputStream out) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.put(MAGIC).put((byte) VERSION).put((byte) cell).put((byte) layers);
        b.putShort((short) hiddenSize).putShort((short) embeddingSize).putShort((short) streams)
                .putShort((short) window);
        b.putDouble(learningRate).putLong(seed);
        b.put((byte) (checkpoint == null ? 0 : 1)).put(checkpoint == null ? new byte[32] : checkpoint);
        b.putLong(length).putInt(crc);
        CRC32C own = new CRC32C();
        own.update(b.array(), 0, b.position());
        b.putInt((int) own.getValue());
        out.write(b.array());
    }

    /**
     * The header at the start of {@code in}, checked: the magic number, the version (a newer one is named),
     * the header's CRC-32C, every field's range.
     *
     * @throws BadCrnnException a file that is not a .crnn file, is of a future version, or whose header is
     *                          truncated or corrupt, with a one-line message naming {@code name}
     */
    public static CrnnHeader read(InputStream in, String name) throws IOException {
        byte[] bytes = new byte[SIZE];
        try {
            new DataInputStream(in).readFully(bytes);
        } catch (EOFException e) {
            throw new BadCrnnException(name + " is not a .crnn file (too short for its header)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        for (byte m : MAGIC) {
            if (b.get() != m) {
                throw new BadCrnnException(name + " is not a .crnn file");
            }
        }
        int version = b.get() & 0xFF;
        if (version != VERSION) {
            throw new BadCrnnException(name + " is a .crnn file of format version " + version + "; this charrnn reads "
                    + "version " + VERSION + (version > VERSION ? " (a newer charrnn wrote it)"
                    : " (an earlier charrnn wrote it: decompress it with that one)"));
        }
        CRC32C own = new CRC32C();
        own.update(bytes, 0, SIZE - 4);
        if ((int) own.getValue() != ByteBuffer.wrap(bytes, SIZE - 4, 4).getInt()) {
            throw new BadCrnnException(name + " is corrupt: its header does not match its checksum");
        }
        int cell = b.get();
        int layers = b.get();
        int h = b.getShort() & 0xFFFF;
        int e = b.getShort() & 0xFFFF;
        int streams = b.getShort() & 0xFFFF;
        int window = b.getShort() & 0xFFFF;
        double lr = b.getDouble();
        long seed = b.getLong();
        int kind = b.get();
        byte[] digest = new byte[32];
        b.get(digest);
        long length = b.getLong();
        int crc = b.getInt();
        try {
            if (kind != 0 && kind != 1) {
                throw new IllegalArgumentException("a model kind " + kind);
            }
            return new CrnnHeader(cell, layers, h, e, streams, window, lr, seed, kind == 1 ? digest : null, length,
                    crc);
        } catch (IllegalArgumentException x) {
            throw new BadCrnnException(name + " is corrupt: " + x.getMessage().replace("a .crnn header cannot hold ",
                    "its header holds "));
        }
    }

    @Override
    public byte[] checkpoint() {
        return checkpoint == null ? null : checkpoint.clone();
    }

    /** A file that cannot be decompressed: not a .crnn file, a future version, truncated or corrupt. */
    public static final class BadCrnnException extends IOException {
        public BadCrnnException(String message) {
            super(message);
        }
    }
}
