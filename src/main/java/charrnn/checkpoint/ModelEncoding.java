package charrnn.checkpoint;

import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.StreamState;
import charrnn.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Format version 2, the encoding of every configuration but min-char-rnn's: the parameters by their
 * model names ({@link ModelSpec#paramNames()}), each optimizer slot as {@code SLOT.NAME}, the carried state
 * as {@code h.lK} and {@code c.lK} (B, H); vectors 1-D, as PyTorch keeps biases. Absent optimizer state
 * and carried state read as zero.
 */
final class ModelEncoding {
    private ModelEncoding() {
    }

    /** The arrays of a run by their version 2 names, in the file's order. */
    static Map<String, NpzArchive.Entry> entries(Checkpoint run) {
        Map<String, NpzArchive.Entry> entries = new LinkedHashMap<>();
        ParamSet params = run.params();
        for (String name : params.names()) {
            entries.put(name, new NpzArchive.Entry(name, params.get(name), run.spec().shape(name).length == 1));
        }
        for (var slot : run.optimizer().state().entrySet()) {
            for (String name : params.names()) {
                String entry = slot.getKey() + "." + name;
                entries.put(entry, new NpzArchive.Entry(entry, slot.getValue().get(name),
                        run.spec().shape(name).length == 1));
            }
        }
        StreamState state = run.state();
        for (int k = 0; k < state.h.length; k++) {
            entries.put("h.l" + k, new NpzArchive.Entry("h.l" + k, state.h[k], false));
            if (state.c != null) {
                entries.put("c.l" + k, new NpzArchive.Entry("c.l" + k, state.c[k], false));
            }
        }
        return entries;
    }

    /** Version 2: the arrays by name; absent optimizer state and carried state are zero. */
    static Checkpoint read(Path file, ZipFile zip, CheckpointMeta meta, ModelMeta deep)
            throws IOException {
        ModelSpec spec = new ModelSpec(deep.cell(), deep.layers(), meta.hiddenSize(), meta.vocab().size(),
                meta.precision(), deep.embeddingSize());
        ParamSet params = ParamSet.of(spec, readArrays(file, zip, spec, "", meta, true));
        Map<String, ParamSet> slots = new LinkedHashMap<>();
        for (String slot : Optimizer.slots(deep.optimizer().kind())) {
            slots.put(slot, ParamSet.of(spec, readArrays(file, zip, spec, slot + ".", meta, false)));
        }
        StreamState state = StreamState.zeros(spec, deep.batchSize());
        for (int k = 0; k < deep.layers(); k++) {
            readState(file, zip, "h.l" + k, state.h[k], meta);
            if (state.c != null) {
                readState(file, zip, "c.l" + k, state.c[k], meta);
            }
        }
        return new Checkpoint(params, Optimizer.restore(deep.optimizer(), slots, deep.optimizerStep()), state,
                meta, deep);
    }

    /** PREFIX + each parameter name; absent ones are zero unless {@code required}. */
    private static Map<String, INDArray> readArrays(Path file, ZipFile zip, ModelSpec spec, String prefix,
                                                    CheckpointMeta meta, boolean required) throws IOException {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (String name : spec.paramNames()) {
            String entry = prefix + name;
            if (!required && NpzArchive.entry(file, zip, entry + ".npy") == null) {
                long[] s = spec.shape(name);
                arrays.put(name, org.nd4j.linalg.factory.Nd4j.zeros(spec.precision().dataType(),
                        s.length == 1 ? 1 : s[0], s[s.length - 1]));
                continue;
            }
            long[] expected = spec.shape(name);
            arrays.put(name, NpzArchive.readNpy(file, zip, entry, meta, shape -> {
                boolean fits = expected.length == 1 ? shape[0] * shape[1] == expected[0]
                        : shape[0] == expected[0] && shape[1] == expected[1];
                if (!fits) {
                    throw new CheckpointException(String.format(
                            "%s: %s is %d×%d but meta.json (cell %s, %d layers, hiddenSize %d, %s%d vocabulary "
                                    + "entries) needs %s", file, entry, shape[0], shape[1], spec.cell(), spec.layers(),
                            spec.hiddenSize(), spec.embedded() ? "embeddingSize " + spec.embeddingSize() + ", " : "",
                            spec.vocabSize(), expected.length == 1 ? "a vector of " + expected[0]
                                    : expected[0] + "×" + expected[1]));
                }
            }));
        }
        return arrays;
    }

    private static void readState(Path file, ZipFile zip, String entry, INDArray into, CheckpointMeta meta)
            throws IOException {
        if (NpzArchive.entry(file, zip, entry + ".npy") == null) {
            return;   // zero
        }
        INDArray a = NpzArchive.readNpy(file, zip, entry, meta, shape -> {
            if (shape[0] * shape[1] != into.length()) {
                throw new CheckpointException(String.format("%s: %s is %d×%d but meta.json (batchSize %d, hiddenSize "
                        + "%d) needs %d×%d", file, entry, shape[0], shape[1], into.rows(), into.columns(), into.rows(),
                        into.columns()));
            }
        });
        into.assign(a.reshape('c', into.shape()));
    }
}
