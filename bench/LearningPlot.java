import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Validation loss of charrnn (its metrics.csv) and of PyTorch (the "val loss X nats/char at M minutes,
 * iteration N" lines of bench/torch_char_lstm.py), in one PNG of two panels: against minutes of training
 * (left) and against iterations (right), so that learning per iteration shows as well as per minute.
 * charrnn's row of iteration n is scored after n + 1 iterations; that is where it is drawn.
 *
 * usage: java -cp target/charrnn.jar bench/LearningPlot.java METRICS.csv TORCH.log OUT.png TITLE
 */
public class LearningPlot {
    public static void main(String[] args) throws Exception {
        List<Double> minutes = new ArrayList<>();
        List<Double> iterations = new ArrayList<>();
        List<Double> loss = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells.length == 6 && !cells[3].isEmpty()) {
                minutes.add(Double.parseDouble(cells[5]) / 60);
                iterations.add(Double.parseDouble(cells[0]) + 1);
                loss.add(Double.parseDouble(cells[3]));
            }
        }
        List<Double> torchMinutes = new ArrayList<>();
        List<Double> torchIterations = new ArrayList<>();
        List<Double> torchLoss = new ArrayList<>();
        Pattern val = Pattern.compile("^val loss ([0-9.]+) nats/char at ([0-9.]+) minutes, iteration ([0-9]+)");
        for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
            Matcher m = val.matcher(line);
            if (m.find()) {
                torchMinutes.add(Double.parseDouble(m.group(2)));
                torchIterations.add(Double.parseDouble(m.group(3)));
                torchLoss.add(Double.parseDouble(m.group(1)));
            }
        }
        XYChart byMinutes = chart(args[3], "minutes of training", minutes, loss, torchMinutes, torchLoss);
        XYChart byIterations = chart(" ", "iterations", iterations, loss, torchIterations, torchLoss);
        BitmapEncoder.saveBitmap(List.of(byMinutes, byIterations), 1, 2, args[2], BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(String title, String x, List<Double> xs, List<Double> ys, List<Double> torchXs,
                                 List<Double> torchYs) {
        XYChart chart = new XYChartBuilder().width(640).height(480).title(title).xAxisTitle(x)
                .yAxisTitle("validation loss (nats per character)").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setYAxisMin(1.3);
        chart.getStyler().setYAxisMax(2.6);
        chart.addSeries("charrnn", xs, ys).setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("PyTorch", torchXs, torchYs).setMarker(SeriesMarkers.DIAMOND);
        return chart;
    }
}
