package charrnn.checkpoint;

import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.StreamState;
import charrnn.optim.Optimizer;

/**
 * A run as a checkpoint holds it: the parameters, the optimizer's state, the state carried by every
 * stream and layer, and meta.json's fields ({@link CheckpointMeta} for those of both format versions,
 * {@link ModelMeta} for the model's and its training's). Holds the arrays themselves: write it before
 * training moves on. {@link CheckpointFile} encodes min-char-rnn's configuration ({@link ModelMeta#isMinCharConfiguration()})
 * as format version 1, under min-char-rnn's names ({@link MinCharEncoding}), and every other as version 2.
 */
public record Checkpoint(ParamSet params, Optimizer optimizer, StreamState state, CheckpointMeta meta,
                         ModelMeta deep) {

    public ModelSpec spec() {
        return params.spec();
    }
}
