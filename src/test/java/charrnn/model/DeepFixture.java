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
 * One case of fixtures/deep_fixture_C.json, of deep_fixture_E.json (the same model with an input
 * embedding and the mean loss) or minchar_fixture_A.json's one (see the README there): its
 * hyperparameters, arrays and the text's vocabulary indices, and the set's tolerance ({@link #assertArrayClose}).
 */
public final class DeepFixture {
    public static final double RTOL = 1e-9;
    private static Fixture file;
    private static Fixture embeddingFile;

    /** Set A's one case: min-char-rnn's configuration, with its own tolerance. */
    public static final String MIN_CHAR_CASE = "A_minchar_rnn_L1_H16_B1_T25_adagrad";

    public final String name;
    public final boolean minChar;
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
        this.minChar = name.equals(MIN_CHAR_CASE);
        Fixture from = minChar ? Fixture.load("minchar_fixture_A.json")
                : file.root.getAsJsonObject("cases").has(name) ? file : embeddingFile;
        this.c = minChar ? minCharCase(from) : from.root.getAsJsonObject("cases").getAsJsonObject(name);
        this.hyper = c.getAsJsonObject("hyper");
        this.spec = minChar ? Fixture.minCharSpec(hyper.get("H").getAsInt(), hyper.get("V").getAsInt())
                : new ModelSpec(CellType.parse(hyper.get("cell").getAsString()), hyper.get("L").getAsInt(),
                hyper.get("H").getAsInt(), hyper.get("V").getAsInt(), Precision.DOUBLE,
                hyper.has("E") ? hyper.get("E").getAsInt() : 0);
        this.B = hyper.get("B").getAsInt();
        this.T = hyper.get("T").getAsInt();
        Fixture textFile = minChar ? from : file;
        int[] vocab = Fixture.ints(textFile.root.get("vocab_code_points"));
        String s = textFile.root.get("text").getAsString();
        this.text = s.codePoints().map(cp -> java.util.Arrays.binarySearch(vocab, cp)).toArray();
    }

    /**
     * Set A (min-char-rnn: one rnn layer, one stream, Adagrad, the summed loss) in the layout of a case of
     * set C: min-char-rnn's names become the model's (Wxh is l0.Wx, ...), the carried state a layer of one
     * stream, and the snapshots after 50 and 100 iterations (across the wrap) the list "after".
     */
    private static JsonObject minCharCase(Fixture a) {
        JsonObject hyper = a.root.getAsJsonObject("hyper").deepCopy();
        hyper.addProperty("cell", "rnn");
        hyper.addProperty("L", 1);
        hyper.addProperty("B", 1);
        hyper.addProperty("optimizer", "adagrad");
        hyper.add("lr", hyper.get("learning_rate"));
        hyper.add("eps", hyper.get("adagrad_eps"));
        JsonObject c = new JsonObject();
        c.add("hyper", hyper);
        c.add("init", renamed(a.get("init"), ""));
        JsonObject window = a.get("first_window");
        JsonObject first = new JsonObject();
        first.add("loss", window.get("loss"));
        first.add("grads", renamed(window.getAsJsonObject("grads_unclipped"), "d"));
        first.add("final_state", layerOfOneStream("h", window.get("h_last")));
        c.add("first_iteration", first);
        JsonArray after = new JsonArray();
        for (String key : new String[] {"after", "after_wrap"}) {
            JsonObject snap = a.get(key);
            JsonObject out = new JsonObject();
            for (String k : new String[] {"n_iters", "p_next", "smooth_loss", "losses"}) {
                out.add(k, snap.get(k));
            }
            out.add("params", renamed(snap.getAsJsonObject("params"), ""));
            JsonObject optimizer = new JsonObject();
            if (snap.has("adagrad_mem")) {
                optimizer.add("mem", renamed(snap.getAsJsonObject("adagrad_mem"), ""));
            }
            out.add("optimizer_state", optimizer);
            out.add("state", layerOfOneStream("h", snap.get("hprev")));
            after.add(out);
        }
        c.add("after", after);
        return c;
    }

    /** min-char-rnn's arrays (Wxh, ... or dWxh, ...) under the model's names, in the model's order. */
    private static JsonObject renamed(JsonObject o, String prefix) {
        JsonObject out = new JsonObject();
        for (String name : Fixture.minCharSpec(1, 1).paramNames()) {
            out.add(name, o.get(prefix + Fixture.MIN_CHAR_NAMES.get(Fixture.MODEL_NAMES.indexOf(name))));
        }
        return out;
    }

    /** {key: [layer 0: [stream 0: values]]}. */
    private static JsonObject layerOfOneStream(String key, JsonElement values) {
        JsonArray stream = new JsonArray();
        stream.add(values);
        JsonArray layer = new JsonArray();
        layer.add(stream);
        JsonObject out = new JsonObject();
        out.add(key, layer);
        return out;
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
        if (minChar) {
            JsonObject init = c.getAsJsonObject("init");
            return Fixture.minCharParams(Fixture.array(init.get("l0.Wx")), Fixture.array(init.get("l0.Wh")),
                    Fixture.array(init.get("Why")), Fixture.array(init.get("l0.b")), Fixture.array(init.get("by")));
        }
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

    /**
     * The set's tolerance for an array: for C and E, max|a − b| <= 1e-9 · max|b| ({@link
     * Close#assertNormClose}); for A, as its parity tests always held it, 1e-9 relative per entry with an
     * absolute floor of 1e-13 (tighter than A's README asks).
     */
    public void assertArrayClose(String label, INDArray expected, INDArray actual) {
        if (minChar) {
            Fixture.assertCloseAnyShape(label, expected, actual, RTOL, 1e-13);
        } else {
            Close.assertNormClose(label, expected, actual, RTOL);
        }
    }

    /** Losses: 1e-9 relative. */
    public static void assertClose(String label, double expected, double actual) {
        Close.assertClose(label, expected, actual, RTOL);
    }
}
