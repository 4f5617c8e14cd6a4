package charrnn.api;

import charrnn.corpus.Vocabulary;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A checkpoint's weights carried into a model over a larger vocabulary ({@code charrnn train --init-from}):
 * every array that does not depend on the vocabulary is copied whole; in those that do (the embedding's
 * rows, layer 0's input columns when it reads one-hot characters, the decoder's rows and bias), each
 * character the checkpoint knows gets its own values there, and the new characters keep what the new
 * model drew for them.
 */
final class FineTuning {
    private FineTuning() {
    }

    /** Copies {@code from} (over {@code known}) into {@code into} (over {@code all}, a superset of it). */
    static void copyWeights(ParamSet from, Vocabulary known, ParamSet into, Vocabulary all) {
        ModelSpec spec = into.spec();
        for (String name : spec.paramNames()) {
            INDArray source = from.get(name);
            INDArray target = into.get(name);
            boolean byRow = name.equals(ModelSpec.EMB) || name.equals(ModelSpec.WHY);   // (V, ·): a row per character
            boolean byColumn = name.equals(ModelSpec.BY)                                  // (1, V)
                    || name.equals(ModelSpec.wx(0)) && !spec.embedded();                  // (G·H, V) one-hot input
            if (!byRow && !byColumn) {
                target.assign(source);
                continue;
            }
            for (int old = 0; old < known.size(); old++) {
                int now = all.indexOf(known.codePoint(old));
                if (byRow) {
                    target.getRow(now).assign(source.getRow(old));
                } else {
                    target.getColumn(now).assign(source.getColumn(old));
                }
            }
        }
    }
}
