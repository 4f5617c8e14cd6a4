package charrnn.optim;

import charrnn.model.ParamSet;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * RMSprop (Tieleman and Hinton, Coursera lecture 6.5, 2012), as char-rnn uses it:
 * {@code v = α·v + (1−α)·d²; θ −= lr·d / (sqrt(v) + ε)}, α = 0.95. State: "v".
 */
final class RmsProp extends Optimizer {
    RmsProp(OptimizerConfig config, Map<String, ParamSet> state, long step) {
        super(config, state, step);
    }

    @Override
    protected void update(String name, INDArray param, INDArray d) {
        double alpha = config.alpha();
        INDArray v = slot(V, name);
        v.muli(alpha).addi(d.mul(d).muli(1 - alpha));                            // v = α·v + (1−α)·d²
        param.subi(d.mul(learningRate()).divi(Transforms.sqrt(v, true).addi(config.epsilon())));
    }
}
