package charrnn.api;

import charrnn.metrics.LossPlot;
import java.io.IOException;
import java.nio.file.Path;

/** The loss plot of a run, as {@code charrnn plot} draws it. */
public final class LossCurves {
    private LossCurves() {
    }

    /**
     * Draws the smoothed training loss and the held-out loss of a run's metrics.csv (in nats per character,
     * against iterations) into a PNG, written atomically.
     *
     * @throws LossPlot.BadMetricsException the file is missing, not a charrnn metrics file, or has no rows
     * @throws IOException                  reading or writing failed otherwise
     */
    public static void draw(Path metricsCsv, Path png) throws IOException {
        LossPlot.draw(metricsCsv, png);
    }
}
