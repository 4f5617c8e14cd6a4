package charrnn.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws metrics.csv: smooth training loss and validation loss, in nats per character, against iterations. */
public final class LossPlot {
    public static final int WIDTH = 900;
    public static final int HEIGHT = 520;

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
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadMetricsException(csv + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadMetricsException(csv + " is not a charrnn metrics file (not UTF-8 text)");
        }
        if (lines.isEmpty() || !lines.get(0).equals(MetricsLog.HEADER)) {
            throw new BadMetricsException(csv + " is not a charrnn metrics file (its first line should be: "
                    + MetricsLog.HEADER + ")");
        }
        List<Double> it = new ArrayList<>();
        List<Double> train = new ArrayList<>();
        List<Double> valIt = new ArrayList<>();
        List<Double> val = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] cells = lines.get(i).split(",", -1);
            try {
                if (cells.length != 6) {
                    throw new NumberFormatException();
                }
                double iteration = Double.parseDouble(cells[0]);
                double perChar = Double.parseDouble(cells[2]);   // parsed to check the row
                it.add(iteration);
                train.add(Double.parseDouble(cells[1]));
                if (!cells[3].isEmpty()) {
                    valIt.add(iteration);
                    val.add(Double.parseDouble(cells[3]));
                }
                if (!Double.isFinite(perChar)) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new BadMetricsException(csv + " is corrupt: line " + (i + 1) + " is not a row of numbers");
            }
        }
        if (it.isEmpty()) {
            throw new BadMetricsException(csv + " has no rows yet");
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("charrnn: loss per character")
                .xAxisTitle("iteration").yAxisTitle("loss (nats per character)").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(4);
        XYSeries trainSeries = chart.addSeries("training (smoothed)", it, train);
        trainSeries.setMarker(SeriesMarkers.NONE);
        if (!val.isEmpty()) {
            XYSeries valSeries = chart.addSeries("validation", valIt, val);
            valSeries.setMarker(SeriesMarkers.CIRCLE);
        }
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        charrnn.checkpoint.AtomicFile.write(png, bytes);
    }
}
