package charrnn.optim;

import charrnn.model.ParamSet;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adagrad (Duchi, Hazan and Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic
 * Optimization", JMLR 2011) as min-char-rnn applies it: {@code mem += d²; θ −= lr · d / sqrt(mem + ε)},
 * ε = 1e-8 inside the square root. State: "mem", Σ d². {@code charrnn.numeric.FusedAdagrad} applies the same
 * formula with clipping fused in, on raw memory, for the vanilla kernel (handed to it by the training step).
 */
final class AdagradOptimizer extends Optimizer {
    AdagradOptimizer(OptimizerConfig config, Map<String, ParamSet> state, long step) {
        super(config, state, step);
    }

    @Override
    protected void update(String name, INDArray param, INDArray d) {
        INDArray mem = slot(MEM, name);
        mem.addi(d.mul(d));                                                          // mem += d²
        param.addi(d.mul(-learningRate()).divi(Transforms.sqrt(mem.add(config.epsilon()), false)));
    }
}
