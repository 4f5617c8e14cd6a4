package charrnn.optim;

import charrnn.model.ParamSet;
import charrnn.numeric.NativeArray;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) with PyTorch's defaults:
 * {@code m = β1·m + (1−β1)·d; v = β2·v + (1−β2)·d²; m̂ = m/(1−β1^k); v̂ = v/(1−β2^k);
 * θ −= lr·m̂ / (sqrt(v̂) + ε)}, k the number of this update. State: "m", "v" and the step count.
 *
 * <p>One loop over the arrays' memory, a chunk at a time, in float64 (a float32 model's m, v and θ are
 * rounded as they are stored): as ND4J operations, one per term, it took 8 ms an iteration whatever the
 * model's size (bench/Roofline.java).
 */
final class Adam extends Optimizer {
    private static final int CHUNK = 2048;
    /** θ, d, m, v of a chunk: per thread, as parts of an update run on several ({@link #updatePart}). */
    private static final ThreadLocal<double[][]> BUFFERS = ThreadLocal.withInitial(() -> new double[4][CHUNK]);

    Adam(OptimizerConfig config, Map<String, ParamSet> state, long step) {
        super(config, state, step);
    }

    @Override
    public boolean updatesInParts() {
        return true;
    }

    @Override
    protected void update(String name, INDArray param, INDArray d) {
        update(name, param, d, 0, (int) param.length());
    }

    @Override
    protected void update(String name, INDArray param, INDArray d, int start, int end) {
        double beta1 = config.beta1();
        double beta2 = config.beta2();
        double epsilon = config.epsilon();
        double lr = learningRate();
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        char order = param.ordering();
        NativeArray thetaArray = new NativeArray(param, order);
        NativeArray dArray = new NativeArray(d, order);
        NativeArray mArray = new NativeArray(slot(M, name), order);
        NativeArray vArray = new NativeArray(slot(V, name), order);
        double[][] buffers = BUFFERS.get();
        double[] theta = buffers[0];
        double[] g = buffers[1];
        double[] m = buffers[2];
        double[] v = buffers[3];
        for (int from = start; from < end; from += CHUNK) {
            int n = Math.min(CHUNK, end - from);
            thetaArray.read(from, theta, n);
            dArray.read(from, g, n);
            mArray.read(from, m, n);
            vArray.read(from, v, n);
            for (int i = 0; i < n; i++) {
                m[i] = m[i] * beta1 + g[i] * (1 - beta1);                   // m = β1·m + (1−β1)·d
                v[i] = v[i] * beta2 + g[i] * g[i] * (1 - beta2);            // v = β2·v + (1−β2)·d²
                double mHat = m[i] / correction1;
                double vHat = v[i] / correction2;
                theta[i] -= mHat * lr / (Math.sqrt(vHat) + epsilon);
            }
            mArray.write(from, m, n);
            vArray.write(from, v, n);
            thetaArray.write(from, theta, n);
        }
    }
}
