import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The held-out loss of several runs (their metrics.csv) against minutes of training, in one PNG.
 *
 * usage: java -cp target/charrnn.jar bench/MetricsPlot.java OUT.png TITLE LABEL=METRICS.csv...
 */
public class MetricsPlot {
    public static void main(String[] args) throws Exception {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(args[1]).xAxisTitle("minutes of training")
                .yAxisTitle("held-out loss (nats per character)").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(4);
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].lastIndexOf('=');
            List<Double> minutes = new ArrayList<>();
            List<Double> loss = new ArrayList<>();
            List<String> lines = Files.readAllLines(Path.of(args[i].substring(eq + 1)), StandardCharsets.UTF_8);
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                if (cells.length == 6 && !cells[3].isEmpty()) {
                    minutes.add(Double.parseDouble(cells[5]) / 60);
                    loss.add(Double.parseDouble(cells[3]));
                }
            }
            if (!minutes.isEmpty()) {
                chart.addSeries(args[i].substring(0, eq), minutes, loss).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        BitmapEncoder.saveBitmap(chart, args[0], BitmapEncoder.BitmapFormat.PNG);
    }
}
