package charrnn.metrics;

import charrnn.metrics.LossPlot.BadMetricsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads metrics.csv for the plot, as a stream and in bounded memory, however long the file: lines longer
 * than any row are refused, and each curve keeps at most {@link #MAX_POINTS} points (past that, every
 * other point is dropped and then only every 2nd, 4th, ... row kept, evenly over the run).
 */
final class MetricsCsv {
    static final int MAX_LINE = 4096;
    static final int MAX_POINTS = 1 << 16;   // (one more: the run's last row, when thinning dropped it)

    private MetricsCsv() {
    }

    /**
     * Iterations and losses (nats per character) of the training curve ({@link MetricsRow#intervalMean}) and
     * the held-out one.
     */
    record Curves(double[] iterations, double[] train, double[] valIterations, double[] val) {
    }

    /** A curve that thins itself to at most MAX_POINTS points. */
    private static final class Curve {
        double[] x = new double[64];
        double[] y = new double[64];
        int n;
        long seen;
        long stride = 1;
        double lastX = Double.NaN;     // the newest row, kept even when thinning drops it: the curve ends
        double lastY = Double.NaN;     // where the run does
        boolean lastKept;

        void add(double xi, double yi) {
            lastX = xi;
            lastY = yi;
            lastKept = false;
            if (seen++ % stride != 0) {
                return;
            }
            if (n == MAX_POINTS) {
                for (int i = 0; i < n / 2; i++) {
                    x[i] = x[2 * i];
                    y[i] = y[2 * i];
                }
                n /= 2;
                stride *= 2;
                if ((seen - 1) % stride != 0) {
                    return;
                }
            }
            if (n == x.length) {
                x = Arrays.copyOf(x, 2 * n);
                y = Arrays.copyOf(y, 2 * n);
            }
            x[n] = xi;
            y[n++] = yi;
            lastKept = true;
        }

        /** The points, the newest row last. */
        double[][] points() {
            double[] px = Arrays.copyOf(x, n + (lastKept || seen == 0 ? 0 : 1));
            double[] py = Arrays.copyOf(y, px.length);
            if (px.length > n) {
                px[n] = lastX;
                py[n] = lastY;
            }
            return new double[][] {px, py};
        }
    }

    /** Parses the CSV from {@code in}; {@code name} names it in messages. */
    static Curves read(String name, InputStream in) throws IOException {
        Reader text = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        try {
            String header = line(name, text, 1);
            if (header == null || !header.equals(MetricsLog.HEADER)) {
                throw new BadMetricsException(name + " is not a charrnn metrics file (its first line should be: "
                        + MetricsLog.HEADER + ")");
            }
            Curve train = new Curve();
            Curve val = new Curve();
            MetricsRow previous = null;
            long number = 1;
            for (String line = line(name, text, ++number); line != null; line = line(name, text, ++number)) {
                if (line.isBlank()) {
                    continue;
                }
                MetricsRow row = MetricsRow.parse(line);
                if (row == null) {
                    throw corrupt(name, number);
                }
                train.add(row.iteration(), MetricsRow.intervalMean(previous, row));
                previous = row;
                if (!Double.isNaN(row.valLoss())) {
                    val.add(row.iteration(), row.valLoss());
                }
            }
            if (train.n == 0) {
                throw new BadMetricsException(name + " has no rows yet");
            }
            double[][] t = train.points();
            double[][] v = val.points();
            return new Curves(t[0], t[1], v[0], v[1]);
        } catch (CharacterCodingException e) {
            throw new BadMetricsException(name + " is not a charrnn metrics file (not UTF-8 text)");
        }
    }

    private static BadMetricsException corrupt(String name, long line) {
        return new BadMetricsException(name + " is corrupt: line " + line + " is not a row of numbers");
    }

    /** The next line without its end (\n or \r\n), null at the end; longer than MAX_LINE: corrupt. */
    private static String line(String name, Reader in, long number) throws IOException {
        StringBuilder line = new StringBuilder();
        int c = in.read();
        if (c < 0) {
            return null;
        }
        while (c >= 0 && c != '\n') {
            if (line.length() == MAX_LINE) {
                throw corrupt(name, number);
            }
            line.append((char) c);
            c = in.read();
        }
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            line.setLength(end - 1);
        }
        return line.toString();
    }
}
