package charrnn.compress;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A range coder's encoding side, in integer arithmetic only (so that any JVM on any CPU writes the same
 * bytes): LZMA's coder, a 32-bit range and a 33-bit low whose carry is resolved on output through one
 * cached byte and a count of pending 0xFF bytes. A symbol is coded from its cumulative frequency, its
 * frequency and the table's total (at most {@link #MAX_TOTAL}, so that every symbol of frequency 1 keeps a
 * range of at least 2⁸).
 */
public final class RangeEncoder {
    /** The largest total of a frequency table. */
    public static final int MAX_TOTAL = 1 << 16;
    static final int TOP = 1 << 24;

    private final OutputStream out;
    private long low;             // 33 bits: the carry is bit 32
    private int range = 0xFFFFFFFF;
    private int cache;            // the byte held back until the carry into it is known
    private long pending = 1;     // cache and the 0xFF bytes after it not yet written
    private long written;

    public RangeEncoder(OutputStream out) {
        this.out = out;
    }

    /** Codes the symbol whose frequencies are [cumulative, cumulative + frequency) of total. */
    public void encode(int cumulative, int frequency, int total) throws IOException {
        check(cumulative, frequency, total);
        int r = Integer.divideUnsigned(range, total);
        low += Integer.toUnsignedLong(r) * cumulative;
        range = r * frequency;
        while (Integer.compareUnsigned(range, TOP) < 0) {
            range <<= 8;
            shiftLow();
        }
    }

    static void check(int cumulative, int frequency, int total) {
        if (total < 1 || total > MAX_TOTAL || frequency < 1 || cumulative < 0 || cumulative + frequency > total) {
            throw new IllegalArgumentException(String.format("not a symbol of a frequency table: [%d, %d) of %d",
                    cumulative, cumulative + frequency, total));
        }
    }

    private void shiftLow() throws IOException {
        if (low < 0xFF000000L || low > 0xFFFFFFFFL) {
            int carry = (int) (low >>> 32);
            int b = cache;
            do {
                out.write((b + carry) & 0xFF);
                written++;
                b = 0xFF;
            } while (--pending != 0);
            cache = (int) ((low >>> 24) & 0xFF);
        }
        pending++;
        low = (low & 0x00FFFFFFL) << 8;
    }

    /** Writes what the decoder needs to decode every symbol coded so far (5 bytes); the coder is done. */
    public void finish() throws IOException {
        for (int i = 0; i < 5; i++) {
            shiftLow();
        }
    }

    /** Bytes written so far (the first is always 0, as LZMA's). */
    public long written() {
        return written;
    }
}
