package charrnn.checkpoint;

import charrnn.model.Adagrad;
import charrnn.model.Params;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything needed to continue a run exactly: parameters, Adagrad memories, the hidden state carried
 * into the next window, and {@link CheckpointMeta}. Holds the arrays themselves, not copies: write it
 * before training moves on.
 *
 * @param hprev (H, 1) the hidden state carried into the next window
 */
public record Checkpoint(Params params, Adagrad adagrad, INDArray hprev, CheckpointMeta meta) implements SavedRun {
}
