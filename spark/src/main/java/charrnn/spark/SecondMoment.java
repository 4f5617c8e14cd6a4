package charrnn.spark;

import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * The optimizer's mean square of the gradient after a round of W workers, K iterations each: Adam's and
 * RMSprop's v, Adagrad's memory. Each worker's grew by its own gradients' squares, g_w², of B/W streams; one
 * machine's grows by the square of the whole batch's gradient, ḡ = (1/W)·Σ_w g_w, whose noise is W times
 * smaller. The plain mean of the workers' is therefore larger than one machine's, every step smaller, and W
 * workers learned less per character (0.065 nats/char after 1,000 iterations at W = 2, 0.124 at W = 4;
 * docs/cluster.md has the table). Adam's m needs nothing: it is linear in g, so the mean of the workers' m is
 * one machine's.
 *
 * <p>Per element, with v₀ (m₀) the round's start, v̄ (m̄) the workers' mean after K steps and δ the decay
 * of v over K steps (β2^K for Adam, α^K for RMSprop, 1 for Adagrad's sum):
 * <pre>
 *   Δ = v̄ − δ·v₀                the workers' mean increment ≈ c·(μ² + W·σ²)            c = 1 − δ
 *   RESCALED:   v = δ·v₀ + Δ/W               (the gradient as all noise: μ² ≪ W·σ²)
 *   ESTIMATED:  μ̂ = (m̄ − β1^K·m₀)/(1 − β1^K)   the round's mean gradient, E[μ̂²] = μ² + s·σ²
 *               s = (1−β1)(1+β1^K) / ((1+β1)(1−β1^K))   (1 for K = 1, → 0 for large K)
 *               v = δ·v₀ + c·μ̂² + (1−s)·(Δ − c·μ̂²)/(W − s)     (adam only)
 *   MEAN:       v = v̄
 * </pre>
 * μ the gradient's mean over the batches one could draw, σ² the variance of the whole batch's gradient
 * (W·σ² of a worker's). ESTIMATED aims at one machine's v, c·(μ² + σ²); RESCALED, the default, learned the
 * most per character in the measurements (it takes v a little below one machine's where the gradient is
 * not all noise). One worker's state is kept as it is in every case.
 */
enum SecondMoment {
    MEAN, RESCALED, ESTIMATED;

    /** The averaged weights with this choice's mean square of the gradient (the other state is the mean). */
    Weights after(Weights start, Weights mean, int workers, OptimizerConfig config) {
        if (this == MEAN || workers == 1 || this == ESTIMATED && config.kind() != OptimizerConfig.Kind.ADAM) {
            return mean;
        }
        int k = (int) (mean.step() - start.step());
        String slot = config.kind() == OptimizerConfig.Kind.ADAGRAD ? Optimizer.MEM : Optimizer.V;
        double decay = switch (config.kind()) {   // of the mean square over the round's K steps
            case ADAGRAD -> 1;                                // mem = mem + d²
            case RMSPROP -> Math.pow(config.alpha(), k);      // v = α·v + (1−α)·d²
            case ADAM -> Math.pow(config.beta2(), k);         // v = β2·v + (1−β2)·d²
        };
        double b1k = Math.pow(config.beta1(), k);
        double c = 1 - decay;
        double beta1 = config.beta1();
        double s = (1 - beta1) * (1 + b1k) / ((1 + beta1) * (1 - b1k));
        LinkedHashMap<String, Block> v = new LinkedHashMap<>();
        mean.slots().get(slot).forEach((name, vMean) -> {
            double[] v0 = start.slots().get(slot).get(name).asDoubles();
            double[] vBar = vMean.asDoubles();
            double[] out = new double[vBar.length];
            if (this == RESCALED) {
                for (int i = 0; i < out.length; i++) {
                    out[i] = decay * v0[i] + Math.max(0, vBar[i] - decay * v0[i]) / workers;
                }
            } else {
                double[] m0 = start.slots().get(Optimizer.M).get(name).asDoubles();
                double[] mBar = mean.slots().get(Optimizer.M).get(name).asDoubles();
                for (int i = 0; i < out.length; i++) {
                    double delta = vBar[i] - decay * v0[i];
                    double mu = (mBar[i] - b1k * m0[i]) / (1 - b1k);
                    double added = c * mu * mu + (1 - s) * (delta - c * mu * mu) / (workers - s);
                    out[i] = decay * v0[i] + Math.max(0, added);   // (max: ≥ 0 but for rounding)
                }
            }
            v.put(name, vMean.like(out));
        });
        LinkedHashMap<String, LinkedHashMap<String, Block>> slots = new LinkedHashMap<>(mean.slots());
        slots.put(slot, v);
        return new Weights(mean.params(), slots, mean.step());
    }

    /** "mean", "rescaled", "estimated". */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The choice of that name, or an error naming the choices. */
    static SecondMoment parse(String name) {
        for (SecondMoment m : values()) {
            if (m.toString().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--second-moment must be rescaled, estimated or mean, got " + name);
    }
}
