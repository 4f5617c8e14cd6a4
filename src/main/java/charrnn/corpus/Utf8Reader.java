package charrnn.corpus;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Strict streaming UTF-8 decoder that yields Unicode code points and knows the byte offset of each.
 *
 * <p>Decodes byte by byte from its own buffer, so a multi-byte character split across two reads of
 * the underlying stream decodes like any other. Rejects what the Unicode standard calls ill-formed:
 * stray continuation bytes, overlong forms, surrogates, values above U+10FFFF and truncated sequences,
 * reporting the byte offset of the sequence that fails.
 */
public final class Utf8Reader implements Closeable {
    static final int DEFAULT_BUFFER_SIZE = 1 << 16;

    private final InputStream in;
    private final byte[] buffer;
    private int pos;
    private int limit;
    private long offset;      // file offset of buffer[pos]
    private long lastStart;   // file offset of the first byte of the last code point read

    /**
     * @param in          the bytes to decode, already positioned at {@code startOffset}
     * @param startOffset file offset of the first byte of {@code in}, used in offsets and errors
     * @param bufferSize  bytes read from {@code in} at a time
     */
    public Utf8Reader(InputStream in, long startOffset, int bufferSize) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be positive, got " + bufferSize);
        }
        this.in = in;
        this.buffer = new byte[bufferSize];
        this.offset = startOffset;
        this.lastStart = startOffset;
    }

    public Utf8Reader(InputStream in, long startOffset) {
        this(in, startOffset, DEFAULT_BUFFER_SIZE);
    }

    /** The next code point, or -1 at the end of the input. */
    public int read() throws IOException {
        lastStart = offset;
        int b0 = nextByte();
        if (b0 < 0) {
            return -1;
        }
        if (b0 < 0x80) {
            return b0;
        }
        int length;
        int min;         // smallest code point this length may encode (rejects overlong forms)
        int cp;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            length = 2;
            min = 0x80;
            cp = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            length = 3;
            min = 0x800;
            cp = b0 & 0x0F;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            length = 4;
            min = 0x10000;
            cp = b0 & 0x07;
        } else {
            throw invalid("byte 0x%02X cannot start a character");
        }
        for (int i = 1; i < length; i++) {
            int b = nextByte();
            if (b < 0) {
                throw new CorpusException(String.format(
                        "invalid UTF-8 at byte offset %d: the file ends inside a multi-byte character", lastStart));
            }
            if ((b & 0xC0) != 0x80) {
                throw new CorpusException(String.format(
                        "invalid UTF-8 at byte offset %d: byte 0x%02X at offset %d is not a continuation byte",
                        lastStart, b, offset - 1));
            }
            cp = (cp << 6) | (b & 0x3F);
        }
        if (cp < min || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw new CorpusException(String.format(
                    "invalid UTF-8 at byte offset %d: U+%04X is overlong, a surrogate or out of range", lastStart, cp));
        }
        return cp;
    }

    /** File offset of the first byte of the code point last returned by {@link #read()}. */
    public long lastStart() {
        return lastStart;
    }

    /** File offset of the next byte to be decoded. */
    public long offset() {
        return offset;
    }

    private CorpusException invalid(String what) {
        return new CorpusException(String.format("invalid UTF-8 at byte offset %d: " + what,
                lastStart, buffer[pos - 1] & 0xFF));
    }

    private int nextByte() throws IOException {
        if (pos == limit) {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return -1;
            }
            pos = 0;
            limit = n;
        }
        offset++;
        return buffer[pos++] & 0xFF;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
