package charrnn.compress;

/**
 * The match model (as in PAQ and lpaq): for each stream, the byte that followed the last place where the
 * stream's last {@link #MIN} bytes came before, found through a hash table of positions, and how sure to be
 * of it, learned from how often a match of that length was right. It predicts {@code q} for that byte and
 * the rest evenly, and nothing (ln p_i constant) when there is no match. A stream remembers its last
 * {@code size} bytes (a power of two that the caller bounds), so memory does not grow with the input.
 */
final class MatchModel {
    /** The bytes a context must share with an earlier place to start a match (at most 7: a history holds 8). */
    static final int MIN = 6;
    /** Match lengths are told apart up to this many bytes (longer ones share the last bucket). */
    private static final int LENGTHS = 32;
    private static final int LIMIT = 1024;

    private final int size;                 // each stream's memory of bytes: a power of two
    private final byte[][] seen;            // [stream][position mod size]
    private final int[][] table;            // [stream][hash of the last MIN bytes]: the position after them, + 1
    private final long[] position;          // bytes each stream has coded
    private final long[] match;             // where the stream's match points (the predicted byte), or −1
    private final int[] length;             // the match's length so far (0: no match)
    private final int[] hits = new int[LENGTHS];
    private final int[] tries = new int[LENGTHS];
    private int expected = -1;              // the last prediction's byte, or −1
    private int bucket;

    /** B streams of at most {@code longest} bytes each, remembering at most {@code memory} bytes each. */
    MatchModel(int streams, long longest, int memory) {
        size = (int) Math.max(64, Math.min(Integer.highestOneBit(memory), Long.highestOneBit(Math.max(1, longest)) * 2));
        seen = new byte[streams][size];
        table = new int[streams][size / 4];
        position = new long[streams];
        match = new long[streams];
        length = new int[streams];
        java.util.Arrays.fill(match, -1);
    }

    /** Stream s's match: 0 none, 1 shorter than 16 bytes, 2 longer. */
    int state(int s) {
        return length[s] == 0 ? 0 : length[s] < 16 ? 1 : 2;
    }

    /**
     * Stream s's next byte: fills {@code logs} (ln p up to a constant: 0 but for the expected byte's
     * ln(255 q / (1 − q))) and returns whether there is a prediction.
     */
    boolean predict(int s, float[] logs) {
        java.util.Arrays.fill(logs, 0f);
        if (length[s] == 0) {
            expected = -1;
            return false;
        }
        expected = seen[s][(int) (match[s] & (size - 1))] & 0xFF;
        bucket = Math.min(length[s], LENGTHS) - 1;
        double q = (hits[bucket] + 0.5) / (tries[bucket] + 1.0);
        logs[expected] = (float) StrictMath.log(255 * q / (1 - q));
        return true;
    }

    /** Byte y came on stream s (after {@link #predict}); {@code history} holds its last bytes, y the newest. */
    void update(int s, int y, long history) {
        if (expected >= 0) {
            tries[bucket]++;
            if (expected == y) {
                hits[bucket]++;
            }
            if (tries[bucket] > LIMIT) {
                tries[bucket] >>= 1;
                hits[bucket] >>= 1;
            }
        }
        if (length[s] > 0) {
            if ((seen[s][(int) (match[s] & (size - 1))] & 0xFF) == y) {
                length[s]++;
                match[s]++;
            } else {
                length[s] = 0;
            }
        }
        seen[s][(int) (position[s] & (size - 1))] = (byte) y;
        position[s]++;
        if (position[s] < MIN) {
            return;
        }
        long key = (history & ((1L << (8 * MIN)) - 1)) * 0x9E3779B97F4A7C15L;
        int h = (int) (key >>> 32) & (table[s].length - 1);
        if (length[s] == 0) {
            long candidate = table[s][h] - 1L;   // the position after an earlier place of the same hash
            if (candidate >= MIN && position[s] - candidate < size - MIN && same(s, candidate)) {
                match[s] = candidate;
                length[s] = 1;
            }
        }
        table[s][h] = (int) Math.min(Integer.MAX_VALUE, position[s] + 1);
    }

    /** Whether the MIN bytes before {@code candidate} are stream s's last MIN bytes. */
    private boolean same(int s, long candidate) {
        for (int i = 1; i <= MIN; i++) {
            if (seen[s][(int) ((candidate - i) & (size - 1))] != seen[s][(int) ((position[s] - i) & (size - 1))]) {
                return false;
            }
        }
        return true;
    }
}
