package charrnn.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Elementwise clipping, min-char-rnn's guard against exploding gradients: every entry to [−limit, limit]. */
public final class Clip {
    private Clip() {
    }

    /** Clips every entry of {@code d} to [−limit, limit] in place. */
    public static void clip(INDArray d, double limit) {
        Transforms.min(d, limit, false);
        Transforms.max(d, -limit, false);
    }
}
