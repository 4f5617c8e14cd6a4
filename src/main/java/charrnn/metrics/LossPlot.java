package charrnn.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws metrics.csv: the training loss (the mean of the windows between two rows, {@link
 * MetricsRow#intervalMean}) and the held-out loss, in nats per character, against iterations.
 */
public final class LossPlot {
    public static final int WIDTH = 900;
    public static final int HEIGHT = 520;

    /** What the training curve is, in the legends of the plot and the live page. */
    public static final String TRAINING_LEGEND = "training (mean of the windows since the previous point)";

    private LossPlot() {
    }

    /** A metrics file that cannot be drawn; the message is one line for the user. */
    public static final class BadMetricsException extends RuntimeException {
        BadMetricsException(String message) {
            super(message);
        }
    }

    /** Reads {@code csv} and writes the PNG to {@code png} (a temporary file renamed into place). */
    public static void draw(Path csv, Path png) throws IOException {
        MetricsCsv.Curves curves;
        try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(csv), 1 << 16)) {
            curves = MetricsCsv.read(csv.toString(), in);
        } catch (NoSuchFileException e) {
            throw new BadMetricsException(csv + ": no such file");
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("charrnn: loss per character")
                .xAxisTitle("iteration").yAxisTitle("loss (nats per character)").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(4);
        XYSeries trainSeries = chart.addSeries(TRAINING_LEGEND, curves.iterations(), curves.train());
        trainSeries.setMarker(SeriesMarkers.NONE);
        if (curves.val().length > 0) {
            XYSeries valSeries = chart.addSeries("held out", curves.valIterations(), curves.val());
            valSeries.setMarker(SeriesMarkers.CIRCLE);
        }
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        charrnn.util.AtomicFile.write(png, bytes);
    }
}
