package charrnn.testing;

import charrnn.util.Rng;

/** Training windows of random characters, for tests that need text but not a corpus. */
public final class RandomWindows {
    private RandomWindows() {
    }

    /** [streams][steps + 1] vocabulary indices in [0, vocabSize), drawn stream by stream from {@code rng}. */
    public static int[][] of(Rng rng, int streams, int steps, int vocabSize) {
        int[][] windows = new int[streams][steps + 1];
        for (int[] w : windows) {
            for (int t = 0; t <= steps; t++) {
                w[t] = (int) (rng.nextDouble() * vocabSize);
            }
        }
        return windows;
    }
}
