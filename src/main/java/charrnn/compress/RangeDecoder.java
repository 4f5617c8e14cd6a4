package charrnn.compress;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The decoding side of {@link RangeEncoder}: {@link #target} finds where the next symbol falls in the
 * table's total, the caller looks that up in its table, and {@link #decode} consumes the symbol. Reading
 * past the coded bytes is an {@link EOFException} (a truncated file), never a hang.
 */
public final class RangeDecoder {
    private final InputStream in;
    private int range = 0xFFFFFFFF;
    private int code;
    private int divided;          // range / total of the last target()

    public RangeDecoder(InputStream in) throws IOException {
        this.in = in;
        if (next() != 0) {
            throw new IOException("not a range-coded stream (its first byte is not 0)");
        }
        for (int i = 0; i < 4; i++) {
            code = (code << 8) | next();
        }
    }

    /** Where the next symbol falls in [0, total): the caller's table names the symbol whose interval holds it. */
    public int target(int total) throws IOException {
        if (total < 1 || total > RangeEncoder.MAX_TOTAL) {
            throw new IllegalArgumentException("not a frequency table's total: " + total);
        }
        divided = Integer.divideUnsigned(range, total);
        int t = Integer.divideUnsigned(code, divided);
        if (Integer.compareUnsigned(t, total) >= 0) {
            throw new IOException("the coded bytes are corrupt (a target beyond the table)");
        }
        return t;
    }

    /** Consumes the symbol {@link #target} led to: [cumulative, cumulative + frequency) of the same total. */
    public void decode(int cumulative, int frequency, int total) throws IOException {
        RangeEncoder.check(cumulative, frequency, total);
        code -= divided * cumulative;
        range = divided * frequency;
        while (Integer.compareUnsigned(range, RangeEncoder.TOP) < 0) {
            range <<= 8;
            code = (code << 8) | next();
        }
    }

    private int next() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the coded bytes end early (a truncated file)");
        }
        return b;
    }
}
