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
 * Validation loss against minutes of training, charrnn's (its metrics.csv) and PyTorch's (the
 * "val loss X nats/char at M minutes" lines of bench/torch_char_lstm.py), in one PNG.
 *
 * usage: java -cp target/charrnn.jar bench/LearningPlot.java METRICS.csv TORCH.log OUT.png TITLE
 */
public class LearningPlot {
    public static void main(String[] args) throws Exception {
        List<Double> minutes = new ArrayList<>();
        List<Double> loss = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells.length == 6 && !cells[3].isEmpty()) {
                minutes.add(Double.parseDouble(cells[5]) / 60);
                loss.add(Double.parseDouble(cells[3]));
            }
        }
        List<Double> torchMinutes = new ArrayList<>();
        List<Double> torchLoss = new ArrayList<>();
        Pattern val = Pattern.compile("^val loss ([0-9.]+) nats/char at ([0-9.]+) minutes");
        for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
            Matcher m = val.matcher(line);
            if (m.find()) {
                torchMinutes.add(Double.parseDouble(m.group(2)));
                torchLoss.add(Double.parseDouble(m.group(1)));
            }
        }
        XYChart chart = new XYChartBuilder().width(900).height(520).title(args[3])
                .xAxisTitle("minutes of training").yAxisTitle("validation loss (nats per character)").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(4);
        chart.addSeries("charrnn", minutes, loss).setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("PyTorch", torchMinutes, torchLoss).setMarker(SeriesMarkers.DIAMOND);
        BitmapEncoder.saveBitmap(chart, args[2], BitmapEncoder.BitmapFormat.PNG);
    }
}
