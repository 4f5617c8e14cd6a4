package charrnn.model;

import charrnn.testing.Close;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;


/** The float64 reference values of src/test/resources/fixtures (see the README there). */
public final class Fixture {
    public final JsonObject root;

    private Fixture(JsonObject root) {
        this.root = root;
    }

    public static Fixture load(String name) throws IOException {
        try (InputStream in = Fixture.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource fixtures/" + name);
            }
            return new Fixture(JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject());
        }
    }

    public JsonObject get(String path) {
        JsonObject o = root;
        for (String key : path.split("\\.")) {
            o = o.getAsJsonObject(key);
        }
        return o;
    }

    public int hyper(String key) {
        return root.getAsJsonObject("hyper").get(key).getAsInt();
    }

    /** A nested list of rows as a matrix; a flat list as a column (vectors are H×1 / V×1 here). */
    public static INDArray array(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        if (a.get(0).isJsonArray()) {
            double[][] m = new double[a.size()][];
            for (int i = 0; i < m.length; i++) {
                m[i] = vector(a.get(i));
            }
            return Nd4j.createFromArray(m).castTo(DataType.DOUBLE);
        }
        double[] v = vector(a);
        return Nd4j.create(v, new long[] {v.length, 1}, DataType.DOUBLE);
    }

    public static double[] vector(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsDouble();
        }
        return v;
    }

    public static int[] ints(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsInt();
        }
        return v;
    }

    /** min-char-rnn's names (the fixture's) of the model's parameters l0.Wx, l0.Wh, Why, l0.b, by. */
    public static final List<String> MIN_CHAR_NAMES = List.of("Wxh", "Whh", "Why", "bh", "by");
    public static final List<String> MODEL_NAMES = List.of("l0.Wx", "l0.Wh", "Why", "l0.b", "by");

    /** min-char-rnn's model (one rnn layer, one-hot input, float64) of hidden size h over v characters. */
    public static ModelSpec minCharSpec(int h, int v) {
        return new ModelSpec(CellType.RNN, 1, h, v, Precision.DOUBLE);
    }

    /** The model's parameters from an object with Wxh, Whh, Why, bh, by (min-char-rnn's names). */
    public static ParamSet params(JsonObject o) {
        INDArray wxh = array(o.get("Wxh"));
        return minCharParams(wxh, array(o.get("Whh")), array(o.get("Why")), array(o.get("bh")), array(o.get("by")));
    }

    /** The model's parameters from min-char-rnn's five arrays (vectors in any shape). */
    public static ParamSet minCharParams(INDArray wxh, INDArray whh, INDArray why, INDArray bh, INDArray by) {
        return ParamSet.of(minCharSpec((int) wxh.rows(), (int) wxh.columns()),
                java.util.Map.of("l0.Wx", wxh, "l0.Wh", whh, "Why", why, "l0.b", bh, "by", by));
    }

    /** {@link #assertClose} of a fixture's array against one of the same length in any shape (a bias row). */
    public static void assertCloseAnyShape(String label, INDArray expected, INDArray actual, double rtol,
                                           double atol) {
        Close.assertClose(label, expected.reshape('c', actual.shape()), actual, rtol, atol);
    }

}
