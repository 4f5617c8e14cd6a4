package charrnn.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import charrnn.metrics.MetricsRowTest;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** The live page reads metrics.csv's rows by the plot's rule: the same lines refused, rows sent as seven JSON values. */
class RunWatcherRowTest {
    @Test
    void refusesWhatThePlotRefusesAndSendsTheRest() {
        for (String line : MetricsRowTest.NOT_ROWS) {
            assertNull(RunWatcher.row(line, null), line);
        }
        for (String line : MetricsRowTest.ROWS) {
            var json = JsonParser.parseString(RunWatcher.row(line, null)).getAsJsonArray();
            assertEquals(7, json.size(), line);
            assertEquals(Double.parseDouble(line.split(",")[2]), json.get(6).getAsDouble(), 1e-6, "the first row's curve is its window");
            assertEquals(line.contains(",,"), json.get(3).isJsonNull(), line);
        }
    }
}
