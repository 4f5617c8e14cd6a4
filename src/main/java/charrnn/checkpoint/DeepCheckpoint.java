package charrnn.checkpoint;

import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.StreamState;
import charrnn.optim.Optimizer;

/**
 * A run of a model beyond min-char-rnn's (format version 2): parameters, optimizer state, the state
 * carried by every stream and layer, and meta.json's fields ({@link CheckpointMeta} for those version 1
 * has too, {@link DeepMeta} for the rest). Holds the arrays themselves: write it before training moves on.
 */
public record DeepCheckpoint(ParamSet params, Optimizer optimizer, StreamState state, CheckpointMeta meta,
                             DeepMeta deep) implements SavedRun {

    public ModelSpec spec() {
        return params.spec();
    }
}
