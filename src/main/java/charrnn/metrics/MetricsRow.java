package charrnn.metrics;

import java.util.Locale;

/**
 * One row of metrics.csv ({@link MetricsLog#HEADER}), the one rule for writing it ({@link MetricsLog}) and for
 * reading it (the plot's {@link MetricsCsv}, the live page's {@code RunWatcher}). Losses are in nats per
 * character.
 *
 * @param smoothLoss     min-char-rnn's smooth loss over T
 * @param trainLoss      the last window's loss over T
 * @param valLoss        the held-out text's; NaN when it was not scored at this iteration (an empty cell)
 * @param charsPerSecond training speed since the previous row
 * @param elapsedSeconds training time so far, held-out scoring not counted
 */
public record MetricsRow(long iteration, double smoothLoss, double trainLoss, double valLoss, double charsPerSecond,
                         double elapsedSeconds) {
    /** min-char-rnn's smoothing: each iteration the smooth loss moves this share of the way to the window's. */
    public static final double SMOOTHING = 0.001;

    /**
     * The training curve the plot and the live page draw: the mean loss of the windows since the previous
     * row, recovered from the two rows' smooth losses (the smoothing is linear: after k iterations
     * s = dᵏ s' + (1 − d) Σ dᵏ⁻ʲ lⱼ with d = 1 − SMOOTHING, so (s − dᵏ s') / (1 − dᵏ) is the mean of the k
     * windows' losses, weighted from dᵏ⁻¹ to 1: 0.905 to 1 over 100 iterations). Unlike the smooth loss,
     * which starts at ln V and moves a thousandth a step, it follows the run. For the first row, one
     * iteration on, or rows out of order (a run and its resume that overlap): the window's own loss.
     */
    public static double intervalMean(MetricsRow previous, MetricsRow row) {
        long k = previous == null ? 0 : row.iteration - previous.iteration;
        if (k <= 1) {
            return row.trainLoss;
        }
        double dk = Math.pow(1 - SMOOTHING, k);
        return (row.smoothLoss - dk * previous.smoothLoss) / (1 - dk);
    }

    /** Cells in a row. */
    public static final int CELLS = 6;

    /** The row as metrics.csv holds it (no line end). */
    public String format() {
        return String.format(Locale.ROOT, "%d,%.6f,%.6f,%s,%.0f,%.1f", iteration, smoothLoss, trainLoss,
                Double.isNaN(valLoss) ? "" : String.format(Locale.ROOT, "%.6f", valLoss), charsPerSecond,
                elapsedSeconds);
    }

    /**
     * The row {@code line} holds, or null when it is not one: six cells, the iteration a non-negative whole
     * number, every other cell a finite number, except the held-out loss, which may be empty.
     */
    public static MetricsRow parse(String line) {
        String[] cells = line.split(",", -1);
        if (cells.length != CELLS) {
            return null;
        }
        double[] v = new double[CELLS];
        for (int i = 0; i < CELLS; i++) {
            if (i == 3 && cells[i].isEmpty()) {
                v[i] = Double.NaN;
                continue;
            }
            try {
                v[i] = Double.parseDouble(cells[i]);
            } catch (NumberFormatException e) {
                return null;
            }
            if (!Double.isFinite(v[i])) {
                return null;
            }
        }
        if (v[0] < 0 || v[0] != Math.rint(v[0]) || v[0] > Long.MAX_VALUE) {
            return null;
        }
        return new MetricsRow((long) v[0], v[1], v[2], v[3], v[4], v[5]);
    }
}
