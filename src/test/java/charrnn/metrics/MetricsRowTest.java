package charrnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** metrics.csv's one row rule: what MetricsLog writes, the plot and the live page read back, and both refuse the same lines. */
public class MetricsRowTest {
    /** Lines that are not rows (the live page's test refuses them too). */
    public static final String[] NOT_ROWS = {"", "1,2,3,4,5", "1,2,3,4,5,6,7", "x,2,3,,5,6", "-1,2,3,,5,6",
        "1.5,2,3,,5,6", "1,NaN,3,,5,6", "1,2,Infinity,,5,6", "1,2,3,NaN,5,6", "1,2,3,,abc,6", "1,2,3,,5,", "1,,3,,5,6"};
    /** Rows, as written and as a hand might have edited them. */
    public static final String[] ROWS = {"0,4.174387,4.174387,,63091,0.0", "10,4.1,4.0,3.9,1,2", " 3 ,1,2,,3,4",
        "1e3,1,2,,3,4"};

    @Test
    void aWrittenRowReadsBackAsItsRoundedValues() {
        Random r = new Random(7);
        for (int i = 0; i < 1000; i++) {
            MetricsRow row = new MetricsRow(r.nextInt(1_000_000), 5 * r.nextDouble(), 5 * r.nextDouble(),
                    r.nextBoolean() ? Double.NaN : 5 * r.nextDouble(), 1e6 * r.nextDouble(), 1e4 * r.nextDouble());
            MetricsRow back = MetricsRow.parse(row.format());
            assertNotNull(back, row.format());
            assertEquals(row.iteration(), back.iteration());
            assertEquals(row.smoothLoss(), back.smoothLoss(), 5e-7);
            assertEquals(row.trainLoss(), back.trainLoss(), 5e-7);
            assertEquals(Double.isNaN(row.valLoss()), Double.isNaN(back.valLoss()));
            if (!Double.isNaN(row.valLoss())) {
                assertEquals(row.valLoss(), back.valLoss(), 5e-7);
            }
            assertEquals(row.charsPerSecond(), back.charsPerSecond(), 0.5);
            assertEquals(row.elapsedSeconds(), back.elapsedSeconds(), 0.05);
            assertEquals(row.format(), back.format(), "written again, the same text");
        }
    }

    /**
     * The training curve from the rows as a run writes them (smooth loss by min-char-rnn's rule from ln V,
     * rows every 100 iterations, six decimals): each point is the windows' weighted mean since the previous
     * row within 2e-5, the plain mean within 0.01 on a loss that falls from 4.2 to 1.5, where the smooth loss
     * is still far above (0.4 at iteration 1,200, as docs/ui.png showed); the first row is its window.
     */
    @Test
    void theTrainingCurveIsTheMeanOfTheWindowsSinceThePreviousRow() {
        Random r = new Random(3);
        double smooth = Math.log(65);
        MetricsRow previous = null;
        double weighted = 0;
        double weights = 0;
        double plain = 0;
        for (int n = 0; n <= 2000; n++) {
            double loss = 1.5 + 2.7 * Math.exp(-n / 300.0) + 0.2 * (r.nextDouble() - 0.5);   // one window's loss
            smooth = smooth * (1 - MetricsRow.SMOOTHING) + loss * MetricsRow.SMOOTHING;
            double d = Math.pow(1 - MetricsRow.SMOOTHING, n % 100 == 0 ? 0 : 100 - n % 100);
            weighted += d * loss;
            weights += d;
            plain += loss;
            if (n % 100 == 0) {
                MetricsRow row = MetricsRow.parse(new MetricsRow(n, smooth, loss, Double.NaN, 1, 1).format());
                double curve = MetricsRow.intervalMean(previous, row);
                if (previous == null) {
                    assertEquals(row.trainLoss(), curve, "the first row: its window");
                } else {
                    assertEquals(weighted / weights, curve, 2e-5, "iteration " + n);
                    assertEquals(plain / 100, curve, 0.01, "iteration " + n);
                }
                if (n == 1200) {
                    assertTrue(row.smoothLoss() - curve > 0.4, "the smooth loss lags: " + row.smoothLoss()
                            + " against " + curve);
                }
                previous = row;
                weighted = 0;
                weights = 0;
                plain = 0;
            }
        }
    }

    @Test
    void linesThatAreNotRowsAreRefusedByTheRuleAndByThePlot() throws IOException {
        for (String line : NOT_ROWS) {
            assertNull(MetricsRow.parse(line), line);
            byte[] file = (MetricsLog.HEADER + "\n" + line + "\n").getBytes(StandardCharsets.UTF_8);
            if (!line.isEmpty()) {   // (the plot skips blank lines, and then has no rows)
                LossPlot.BadMetricsException e = assertThrows(LossPlot.BadMetricsException.class,
                        () -> MetricsCsv.read("metrics.csv", new ByteArrayInputStream(file)), line);
                assertEquals("metrics.csv is corrupt: line 2 is not a row of numbers", e.getMessage(), line);
            }
        }
        for (String line : ROWS) {
            assertNotNull(MetricsRow.parse(line), line);
            byte[] file = (MetricsLog.HEADER + "\n" + line + "\n").getBytes(StandardCharsets.UTF_8);
            assertEquals(1, MetricsCsv.read("metrics.csv", new ByteArrayInputStream(file)).train().length, line);
        }
    }
}
