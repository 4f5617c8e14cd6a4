package charrnn.optim;

import charrnn.model.ParamSet;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) with PyTorch's defaults:
 * {@code m = β1·m + (1−β1)·d; v = β2·v + (1−β2)·d²; m̂ = m/(1−β1^k); v̂ = v/(1−β2^k);
 * θ −= lr·m̂ / (sqrt(v̂) + ε)}, k the number of this update. State: "m", "v" and the step count.
 */
final class Adam extends Optimizer {
    Adam(OptimizerConfig config, Map<String, ParamSet> state, long step) {
        super(config, state, step);
    }

    @Override
    protected void update(String name, INDArray param, INDArray d) {
        double beta1 = config.beta1();
        double beta2 = config.beta2();
        INDArray m = slot("m", name);
        INDArray v = slot("v", name);
        m.muli(beta1).addi(d.mul(1 - beta1));                                    // m = β1·m + (1−β1)·d
        v.muli(beta2).addi(d.mul(d).muli(1 - beta2));                            // v = β2·v + (1−β2)·d²
        INDArray mHat = m.div(1 - Math.pow(beta1, step));
        INDArray vHat = v.div(1 - Math.pow(beta2, step));
        param.subi(mHat.muli(learningRate()).divi(Transforms.sqrt(vHat, false).addi(config.epsilon())));
    }
}
