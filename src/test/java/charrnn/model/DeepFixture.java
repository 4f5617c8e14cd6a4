package charrnn.model;

import charrnn.optim.LossNormalization;
import charrnn.optim.OptimizerConfig;
import charrnn.testing.Close;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;


/**
 * One case of fixtures/deep_fixture_C.json or of deep_fixture_E.json (the same model with an input
 * embedding and the mean loss; see the README there): its hyperparameters, arrays and the text's
 * vocabulary indices. Tolerance, as the README defines it: per array
 * {@code max|a − b| <= 1e-9 · max|b|} (norm-wise relative); losses relative 1e-9.
 */
public final class DeepFixture {
    public static final double RTOL = 1e-9;
    private static Fixture file;
    private static Fixture embeddingFile;

    public final String name;
    public final JsonObject c;
    public final JsonObject hyper;
    public final ModelSpec spec;
    public final int B;
    public final int T;
    public final int[] text;   // vocabulary indices of the fixture text

    private DeepFixture(String name) throws IOException {
        if (file == null) {
            file = Fixture.load("deep_fixture_C.json");
            embeddingFile = Fixture.load("deep_fixture_E.json");
        }
        this.name = name;
        Fixture from = file.root.getAsJsonObject("cases").has(name) ? file : embeddingFile;
        this.c = from.root.getAsJsonObject("cases").getAsJsonObject(name);
        this.hyper = c.getAsJsonObject("hyper");
        this.spec = new ModelSpec(CellType.parse(hyper.get("cell").getAsString()), hyper.get("L").getAsInt(),
                hyper.get("H").getAsInt(), hyper.get("V").getAsInt(), Precision.DOUBLE,
                hyper.has("E") ? hyper.get("E").getAsInt() : 0);
        this.B = hyper.get("B").getAsInt();
        this.T = hyper.get("T").getAsInt();
        int[] vocab = Fixture.ints(file.root.get("vocab_code_points"));
        String s = file.root.get("text").getAsString();
        this.text = s.codePoints().map(cp -> java.util.Arrays.binarySearch(vocab, cp)).toArray();
    }

    public static DeepFixture of(String name) throws IOException {
        return new DeepFixture(name);
    }

    public static String text() throws IOException {
        if (file == null) {
            file = Fixture.load("deep_fixture_C.json");
        }
        return file.root.get("text").getAsString();
    }

    public static final String[] CASES = {"a_lstm_L2_H8_B3_T7_adam", "b_gru_L2_H8_B3_T7_rmsprop",
        "c_rnn_L2_H8_B2_T5_adagrad", "d_lstm_L1_H6_B1_T25_adagrad", "e_clip_lstm_L2_H8_B2_T25_adam_init_x60"};

    /** deep_fixture_E.json's: an input embedding (emb, V×E), the mean loss or the summed one. */
    public static final String[] EMBEDDING_CASES = {"f_lstm_emb_L2_H8_E5_B3_T7_adam_mean",
        "g_gru_emb_L1_H6_E4_B2_T5_rmsprop_sum", "h_rnn_emb_L2_H8_E3_B2_T5_adagrad_mean",
        "i_clip_lstm_emb_L1_H6_E4_B2_T25_adam_mean_clip_0.05"};

    /** What the case's gradients are of (fixture C's: the summed loss). */
    public LossNormalization loss() {
        return hyper.has("loss") ? LossNormalization.parse(hyper.get("loss").getAsString()) : LossNormalization.SUM;
    }

    public ParamSet init() {
        return ParamSet.of(spec, arrays(c.getAsJsonObject("init")));
    }

    public OptimizerConfig optimizer() {
        OptimizerConfig.Kind kind = OptimizerConfig.Kind.parse(hyper.get("optimizer").getAsString());
        return new OptimizerConfig(kind, hyper.get("lr").getAsDouble(), number("alpha", OptimizerConfig.ALPHA),
                number("beta1", OptimizerConfig.BETA1), number("beta2", OptimizerConfig.BETA2),
                number("eps", OptimizerConfig.EPSILON));
    }

    private double number(String key, double fallback) {
        return hyper.has(key) ? hyper.get(key).getAsDouble() : fallback;
    }

    /** Every array of an object keyed by parameter name. */
    public static Map<String, INDArray> arrays(JsonObject o) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String k : o.keySet()) {
            if (o.get(k).isJsonArray()) {
                m.put(k, array(o.get(k)));
            }
        }
        return m;
    }

    /** A nested list as a matrix, a flat list as a (1, n) row. */
    public static INDArray array(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        if (a.get(0).isJsonArray()) {
            double[][] m = new double[a.size()][];
            for (int i = 0; i < m.length; i++) {
                m[i] = Fixture.vector(a.get(i));
            }
            return Nd4j.createFromArray(m).castTo(DataType.DOUBLE);
        }
        double[] v = Fixture.vector(a);
        return Nd4j.create(v, new long[] {1, v.length}, DataType.DOUBLE);
    }

    /** [layer][stream][H] as one (B, H) matrix per layer. */
    public static INDArray[] state(JsonElement e) {
        JsonArray layers = e.getAsJsonArray();
        INDArray[] out = new INDArray[layers.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = array(layers.get(k));
        }
        return out;
    }

    /** The windows of iteration n at offset p: stream s reads text[s·M + p, s·M + p + T]. */
    public int[][] windows(int p) {
        int m = text.length / B;
        int[][] w = new int[B][T + 1];
        for (int s = 0; s < B; s++) {
            System.arraycopy(text, s * m + p, w[s], 0, T + 1);
        }
        return w;
    }

    /** max|a − b| <= RTOL · max|b| over the array. */
    /** The fixture's tolerance for an array: max|a − b| <= 1e-9 · max|b| ({@link Close#assertNormClose}). */
    public static void assertNormClose(String label, INDArray expected, INDArray actual) {
        Close.assertNormClose(label, expected, actual, RTOL);
    }

    public static void assertClose(String label, double expected, double actual) {
        Close.assertClose(label, expected, actual, RTOL);
    }
}
