package charrnn.examples;

import java.util.List;

/** The gradients of an example network's parameters, in the order of its {@code params()}. */
public record Gradients(List<double[]> all) {

    /** Every entry clipped to [−limit, limit] in place (the tutorials' np.clip). */
    public Gradients clip(double limit) {
        for (double[] g : all) {
            for (int i = 0; i < g.length; i++) {
                g[i] = Math.max(-limit, Math.min(limit, g[i]));
            }
        }
        return this;
    }

    /** θ −= lr · g for each parameter θ and its gradient g. */
    static void descend(List<double[]> params, Gradients grads, double learningRate) {
        for (int p = 0; p < params.size(); p++) {
            double[] theta = params.get(p);
            double[] g = grads.all().get(p);
            for (int i = 0; i < theta.length; i++) {
                theta[i] -= learningRate * g[i];
            }
        }
    }
}
