package charrnn.examples;

import charrnn.testing.Close;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The numpy reference values of the tutorials' networks (bench/tutorial_sentiment.py and
 * bench/tutorial_sine.py with --fixture), and the comparison the parity tests make: every array within
 * 1e-9 relative to its largest magnitude (float64 on both sides; the two sum in different orders and
 * use different exp, tanh and sin, each exact to a few ulp).
 */
final class TutorialFixture {
    static final double TOLERANCE = 1e-9;

    private TutorialFixture() {
    }

    static JsonObject load(String name) throws IOException {
        try (InputStream in = TutorialFixture.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource fixtures/" + name);
            }
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    /** A matrix (list of rows, flattened row by row) or a vector. */
    static double[] flat(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        if (a.size() > 0 && a.get(0).isJsonArray()) {
            int cols = a.get(0).getAsJsonArray().size();
            double[] out = new double[a.size() * cols];
            for (int i = 0; i < a.size(); i++) {
                JsonArray row = a.get(i).getAsJsonArray();
                for (int j = 0; j < cols; j++) {
                    out[i * cols + j] = row.get(j).getAsDouble();
                }
            }
            return out;
        }
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    /** |actual − expected| ≤ 1e-9 · max|expected| for every entry (exactly 0 when expected is all 0). */
    static void assertClose(String label, double[] expected, double[] actual) {
        Close.assertNormClose(label, expected, actual, 1e-9);
    }

    static void assertClose(String label, double expected, double actual) {
        assertClose(label, new double[] {expected}, new double[] {actual});
    }
}
