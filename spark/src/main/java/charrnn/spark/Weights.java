package charrnn.spark;

import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the workers share and the driver averages: the parameters and the optimizer's state (every slot,
 * shaped like the parameters) and its step count, as raw values in the model's precision.
 *
 * @param params parameter name → values, in the model's parameter order
 * @param slots  optimizer slot (adagrad mem, rmsprop v, adam m and v) → parameter name → values
 * @param step   the optimizer's updates so far (the same on every worker: each makes K per round)
 */
record Weights(LinkedHashMap<String, Block> params, LinkedHashMap<String, LinkedHashMap<String, Block>> slots,
               long step) implements Serializable {

    static Weights of(ParamSet params, Optimizer optimizer) {
        LinkedHashMap<String, LinkedHashMap<String, Block>> slots = new LinkedHashMap<>();
        optimizer.state().keySet().stream().sorted().forEach(slot -> slots.put(slot, blocks(optimizer.state().get(slot))));
        return new Weights(blocks(params), slots, optimizer.step());
    }

    private static LinkedHashMap<String, Block> blocks(ParamSet set) {
        LinkedHashMap<String, Block> blocks = new LinkedHashMap<>();
        for (String name : set.names()) {
            blocks.put(name, Block.of(set.get(name)));
        }
        return blocks;
    }

    /** The parameters as the engine holds them. */
    ParamSet params(ModelSpec spec) {
        return paramSet(spec, params);
    }

    /** The optimizer continuing from this state. */
    Optimizer optimizer(OptimizerConfig config, ModelSpec spec) {
        Map<String, ParamSet> state = new LinkedHashMap<>();
        slots.forEach((slot, blocks) -> state.put(slot, paramSet(spec, blocks)));
        return Optimizer.restore(config, state, step);
    }

    private static ParamSet paramSet(ModelSpec spec, Map<String, Block> blocks) {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (String name : spec.paramNames()) {
            long[] s = spec.shape(name);
            arrays.put(name, blocks.get(name).toArray(s.length == 1 ? 1 : s[0], s[s.length - 1]));
        }
        return ParamSet.of(spec, arrays);
    }

    /** this + other, array by array (the step counts must agree). */
    Weights plus(Weights other) {
        if (other.step != step) {
            throw new IllegalStateException("workers at different optimizer steps: " + step + ", " + other.step);
        }
        LinkedHashMap<String, LinkedHashMap<String, Block>> s = new LinkedHashMap<>();
        slots.forEach((slot, blocks) -> s.put(slot, plus(blocks, other.slots.get(slot))));
        return new Weights(plus(params, other.params), s, step);
    }

    private static LinkedHashMap<String, Block> plus(Map<String, Block> a, Map<String, Block> b) {
        LinkedHashMap<String, Block> sum = new LinkedHashMap<>();
        a.forEach((name, x) -> sum.put(name, x.plus(b.get(name))));
        return sum;
    }

    /** this / n, array by array. */
    Weights dividedBy(int n) {
        LinkedHashMap<String, LinkedHashMap<String, Block>> s = new LinkedHashMap<>();
        slots.forEach((slot, blocks) -> {
            LinkedHashMap<String, Block> q = new LinkedHashMap<>();
            blocks.forEach((name, x) -> q.put(name, x.dividedBy(n)));
            s.put(slot, q);
        });
        LinkedHashMap<String, Block> p = new LinkedHashMap<>();
        params.forEach((name, x) -> p.put(name, x.dividedBy(n)));
        return new Weights(p, s, step);
    }

    /** The bytes of the values (what one copy of the model and its optimizer state costs on the wire). */
    long bytes() {
        long b = 0;
        for (Block x : params.values()) {
            b += x.bytes();
        }
        for (Map<String, Block> blocks : slots.values()) {
            for (Block x : blocks.values()) {
                b += x.bytes();
            }
        }
        return b;
    }
}
