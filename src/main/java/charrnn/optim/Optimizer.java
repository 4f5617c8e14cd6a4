package charrnn.optim;

import charrnn.model.ParamSet;
import charrnn.numeric.Workspaces;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An elementwise optimizer over a model's parameter arrays, with named state slots shaped like the
 * parameters (adagrad "mem"; rmsprop "v"; adam "m", "v") and a step count (the updates made so far).
 * Gradients come in clipped; clipping is {@link Clip}.
 */
public abstract class Optimizer {
    /** The state's slots, as checkpoints name them: adagrad's Σ d², rmsprop's and adam's second moment, adam's first. */
    public static final String MEM = "mem";
    public static final String V = "v";
    public static final String M = "m";

    protected final OptimizerConfig config;
    protected final Map<String, ParamSet> state;   // slot name → arrays shaped like the parameters
    protected long step;                            // updates made so far
    private double learningRateScale = 1.0;         // the schedule's factor for the next updates

    protected Optimizer(OptimizerConfig config, Map<String, ParamSet> state, long step) {
        this.config = config;
        this.state = Map.copyOf(state);
        this.step = step;
    }

    /** A fresh optimizer (zero state) for parameters shaped like {@code params}. */
    public static Optimizer create(OptimizerConfig config, ParamSet params) {
        Map<String, ParamSet> state = new java.util.LinkedHashMap<>();
        for (String slot : slots(config.kind())) {
            state.put(slot, params.zerosLike());
        }
        return restore(config, state, 0);
    }

    /** An optimizer continuing from saved state. */
    public static Optimizer restore(OptimizerConfig config, Map<String, ParamSet> state, long step) {
        return switch (config.kind()) {
            case ADAGRAD -> new AdagradOptimizer(config, state, step);
            case RMSPROP -> new RmsProp(config, state, step);
            case ADAM -> new Adam(config, state, step);
        };
    }

    /** The names of the state slots of an optimizer kind. */
    public static List<String> slots(OptimizerConfig.Kind kind) {
        return switch (kind) {
            case ADAGRAD -> List.of(MEM);
            case RMSPROP -> List.of(V);
            case ADAM -> List.of(M, V);
        };
    }

    /** One step on every parameter array, in place. */
    public final void update(ParamSet params, ParamSet grads) {
        step++;
        try (MemoryWorkspace ws = Workspaces.temporaries("charrnn-optim")) {
            for (String name : params.names()) {
                update(name, params.get(name), grads.get(name));
            }
        }
    }

    /**
     * Whether this optimizer's update can be shared out by elements ({@link #beginUpdate}, then
     * {@link #updatePart} on any threads): its rule reads and writes each element alone, so the bits do
     * not depend on the split.
     */
    public boolean updatesInParts() {
        return false;
    }

    /** Counts the update whose parts {@link #updatePart} then makes. */
    public final void beginUpdate() {
        step++;
    }

    /**
     * Part t of n of the update begun by {@link #beginUpdate}: elements [length·t/n, length·(t+1)/n) of every
     * parameter array, given their gradients in {@code grads}.
     */
    public final void updatePart(ParamSet params, ParamSet grads, int t, int n) {
        for (String name : params.names()) {
            INDArray param = params.get(name);
            long length = param.length();
            update(name, param, grads.get(name), (int) (length * t / n), (int) (length * (t + 1) / n));
        }
    }

    /** Elements [from, to) of one step on one parameter array; optimizers that {@link #updatesInParts} implement it. */
    protected void update(String name, INDArray param, INDArray d, int from, int to) {
        throw new UnsupportedOperationException(config.kind() + " updates whole arrays");
    }

    /**
     * Counts an update that a kernel applied itself with this optimizer's rule (fused into its backward
     * pass, {@code charrnn.model.VanillaNetwork}), as {@link #update} counts its own.
     */
    public void countUpdate() {
        step++;
    }

    /** One step on one parameter array, {@link #step} already counting this update. */
    protected abstract void update(String name, INDArray param, INDArray d);

    public OptimizerConfig config() {
        return config;
    }

    /** The learning rate of the next update: the configured one times the schedule's factor. */
    public double learningRate() {
        return config.learningRate() * learningRateScale;
    }

    /** Sets the schedule's factor (1: the configured learning rate, exactly) for the updates that follow. */
    public void scaleLearningRate(double scale) {
        learningRateScale = scale;
    }

    public Map<String, ParamSet> state() {
        return state;
    }

    /** The number of updates made (adam's k of the last one). */
    public long step() {
        return step;
    }

    protected INDArray slot(String slot, String name) {
        return state.get(slot).get(name);
    }
}
