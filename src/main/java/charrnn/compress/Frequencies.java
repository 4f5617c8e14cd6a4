package charrnn.compress;

/**
 * A model's probabilities as the integer frequency table a range coder needs, by one deterministic rule
 * (the encoder and the decoder make the same table from the same probabilities): symbol i gets
 * {@code 1 + floor(p_i · (TOTAL − n))}, so that every symbol, however unlikely, stays codable, and the
 * most probable symbol (the lowest index among equals) gets what is left of {@link #TOTAL}.
 */
public final class Frequencies {
    /** The table's total. */
    public static final int TOTAL = RangeEncoder.MAX_TOTAL;

    final int[] frequency;
    final int[] cumulative;    // n + 1 entries: cumulative[i] = Σ_{j<i} frequency[j], cumulative[n] = TOTAL

    public Frequencies(int n) {
        if (n < 1 || n > TOTAL / 2) {
            throw new IllegalArgumentException("symbols: " + n);
        }
        frequency = new int[n];
        cumulative = new int[n + 1];
    }

    /** The table of {@code p} (n probabilities that sum to 1; a NaN or negative counts as 0). */
    public Frequencies of(double[] p) {
        int n = frequency.length;
        int spare = TOTAL - n;
        int sum = 0;
        int top = 0;
        for (int i = 0; i < n; i++) {
            double q = p[i] > 0 ? Math.min(p[i], 1.0) : 0.0;
            frequency[i] = 1 + (int) (q * spare);
            sum += frequency[i];
            if (frequency[i] > frequency[top]) {
                top = i;
            }
        }
        frequency[top] += TOTAL - sum;   // ≥ 0 while Σ p ≤ 1 + 1/spare
        if (frequency[top] < 1) {
            throw new IllegalArgumentException("probabilities that sum to more than 1: " + sum);
        }
        for (int i = 0; i < n; i++) {
            cumulative[i + 1] = cumulative[i] + frequency[i];
        }
        return this;
    }

    public void encode(RangeEncoder coder, int symbol) throws java.io.IOException {
        coder.encode(cumulative[symbol], frequency[symbol], TOTAL);
    }

    /** The next symbol from {@code coder}, consumed. */
    public int decode(RangeDecoder coder) throws java.io.IOException {
        int target = coder.target(TOTAL);
        int lo = 0;
        int hi = frequency.length - 1;
        while (lo < hi) {   // the last symbol whose cumulative is ≤ target
            int mid = (lo + hi + 1) >>> 1;
            if (cumulative[mid] <= target) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        coder.decode(cumulative[lo], frequency[lo], TOTAL);
        return lo;
    }

    /** The frequency of {@code symbol} in the table last made. */
    public int frequency(int symbol) {
        return frequency[symbol];
    }
}
