package charrnn.optim;

import charrnn.model.Adagrad;
import charrnn.model.ParamSet;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Adagrad as min-char-rnn applies it; the formula is {@link Adagrad#step}'s. State: "mem", Σ d². */
final class AdagradOptimizer extends Optimizer {
    AdagradOptimizer(OptimizerConfig config, Map<String, ParamSet> state, long step) {
        super(config, state, step);
    }

    @Override
    protected void update(String name, INDArray param, INDArray d) {
        Adagrad.step(param, d, slot("mem", name), learningRate());
    }
}
