package charrnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.testing.OneLine;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz target for the metrics.csv reader behind {@code charrnn plot}: any input ends in curves (each at
 * most {@link MetricsCsv#MAX_POINTS} points and the last row, x and y of equal length) or a
 * {@link LossPlot.BadMetricsException} with a one-line message.
 */
class MetricsCsvFuzzTest {
    @FuzzTest
    void metricsCsv(byte[] input) throws IOException {
        try {
            MetricsCsv.Curves c = MetricsCsv.read("metrics.csv", new ByteArrayInputStream(input));
            assertEquals(c.iterations().length, c.train().length);
            assertEquals(c.valIterations().length, c.val().length);
            assertTrue(c.train().length >= 1 && c.train().length <= MetricsCsv.MAX_POINTS + 1);
            assertTrue(c.val().length <= MetricsCsv.MAX_POINTS + 1);
        } catch (LossPlot.BadMetricsException e) {
            OneLine.assertOneLine(e);
        }
    }
}
