package charrnn.checkpoint;

import charrnn.model.CellType;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.StreamState;
import charrnn.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Format version 1, an encoding of the one model: min-char-rnn's configuration ({@link ModelMeta#isMinCharConfiguration()})
 * under min-char-rnn's names, {@code Wxh, Whh, Why, bh, by} for the model's {@code l0.Wx, l0.Wh, Why,
 * l0.b, by}, vectors as (n, 1) columns, Adagrad's memories as {@code m} + name and the one stream's
 * hidden state as {@code hprev} (H, 1). The file holds nothing else: the rest of {@link ModelMeta} is
 * min-char-rnn's.
 */
final class MinCharEncoding {
    /** min-char-rnn's names, in the order of its equations and of the file. */
    static final List<String> NAMES = List.of("Wxh", "Whh", "Why", "bh", "by");
    /** The model's names of the same arrays. */
    private static final List<String> MODEL_NAMES = List.of(ModelSpec.wx(0), ModelSpec.wh(0), ModelSpec.WHY, ModelSpec.b(0), ModelSpec.BY);

    private MinCharEncoding() {
    }

    /** The arrays of a run of min-char-rnn's configuration by their version 1 names, in the file's order. */
    static Map<String, INDArray> arrays(Checkpoint run) {
        if (!run.deep().isMinCharConfiguration()) {
            throw new IllegalArgumentException("format version 1 holds min-char-rnn's configuration only");
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        ParamSet mem = run.optimizer().state().get(Optimizer.MEM);
        for (int i = 0; i < NAMES.size(); i++) {
            arrays.put(NAMES.get(i), asStored(run.params().get(MODEL_NAMES.get(i))));
        }
        for (int i = 0; i < NAMES.size(); i++) {
            arrays.put("m" + NAMES.get(i), asStored(mem.get(MODEL_NAMES.get(i))));
        }
        arrays.put("hprev", asStored(run.state().h[0]));
        return arrays;
    }

    /** The run a version 1 file holds, from its arrays by name (parameters, memories, hprev). */
    static Checkpoint decode(Map<String, INDArray> arrays, CheckpointMeta meta) {
        ModelSpec spec = new ModelSpec(CellType.RNN, 1, meta.hiddenSize(), meta.vocab().size(), meta.precision());
        ModelMeta deep = ModelMeta.minCharConfiguration(meta.learningRate(),
                meta.corpus() == null ? null : new long[] {meta.corpus().byteOffset()});
        Map<String, INDArray> params = new LinkedHashMap<>();
        Map<String, INDArray> memories = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.size(); i++) {
            params.put(MODEL_NAMES.get(i), arrays.get(NAMES.get(i)));
            memories.put(MODEL_NAMES.get(i), arrays.get("m" + NAMES.get(i)));
        }
        StreamState state = StreamState.zeros(spec, 1);
        state.h[0].assign(arrays.get("hprev").reshape('c', 1, spec.hiddenSize()));
        Optimizer adagrad = Optimizer.restore(deep.optimizer(), Map.of(Optimizer.MEM, ParamSet.of(spec, memories)), 0);
        return new Checkpoint(ParamSet.of(spec, params), adagrad, state, meta, deep);
    }

    /** Reads and checks a version 1 file's arrays (the zip is open; meta.json is read and checked). */
    static Checkpoint read(Path file, ZipFile zip, CheckpointMeta meta) throws IOException {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        List<String> names = new java.util.ArrayList<>(NAMES);
        NAMES.forEach(p -> names.add("m" + p));
        names.add("hprev");
        for (String name : names) {
            arrays.put(name, NpzArchive.readNpy(file, zip, name, meta, shape -> checkShape(file, name, shape, meta)));
        }
        return decode(arrays, meta);
    }

    /** A version 1 array's shape against meta.json's hiddenSize and vocabulary. */
    private static void checkShape(Path file, String name, long[] shape, CheckpointMeta meta) {
        long h = meta.hiddenSize();
        long v = meta.vocab().size();
        String base = name.startsWith("m") ? name.substring(1) : name;
        long[] expected = switch (base) {
            case "Wxh" -> new long[] {h, v};
            case "Whh" -> new long[] {h, h};
            case "Why" -> new long[] {v, h};
            case "bh", "hprev" -> new long[] {h, 1};
            case "by" -> new long[] {v, 1};
            default -> throw new IllegalStateException(name);
        };
        if (shape[0] != expected[0] || shape[1] != expected[1]) {
            throw new CheckpointException(String.format(
                    "%s: %s is %d×%d but meta.json (hiddenSize %d, %d vocabulary entries) needs %d×%d",
                    file, name, shape[0], shape[1], h, v, expected[0], expected[1]));
        }
    }

    /** A matrix as it is; a (1, n) row as the (n, 1) column version 1 stores, sharing its memory. */
    private static INDArray asStored(INDArray a) {
        return a.rows() == 1 ? a.reshape('c', a.length(), 1) : a;
    }
}
