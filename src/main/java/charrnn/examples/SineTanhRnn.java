package charrnn.examples;

import charrnn.util.Rng;
import java.util.List;

/**
 * The sine example's network made to learn: the tutorial's shape (a window of T values read one per
 * step into H units, each position with its own input weights, one linear output from the last state),
 * with the changes that let it learn the wave instead of its mean:
 * <pre>
 *   s_t = tanh(U x̃_t + W s_{t−1} + b),   s_{−1} = 0
 *   ŷ   = V s_{T−1} + c,   L = (y − ŷ)² / 2
 * </pre>
 * tanh units (zero-centred, so they do not all saturate at 1 as the tutorial's sigmoids from uniform(0, 1)
 * weights do), biases b and c, small initial weights (U, V from N(0, 0.1²), W from N(0, 0.5²/H), biases 0)
 * and exact backpropagation through the whole window.
 */
@SuppressWarnings({"checkstyle:MemberName", "checkstyle:ParameterName", "checkstyle:LocalVariableName"})
public final class SineTanhRnn {
    public final int H;
    public final int T;
    public final double[] U;   // (H, T)
    public final double[] W;   // (H, H)
    public final double[] b;   // (H)
    public final double[] V;   // (1, H)
    public final double[] c;   // (1)
    private double[] lastX;
    private double[][] states;  // [T + 1][H]: states[0] = s_{−1} = 0, states[t + 1] = s_t

    private SineTanhRnn(int H, int T, double[] U, double[] W, double[] b, double[] V, double[] c) {
        this.H = H;
        this.T = T;
        this.U = U;
        this.W = W;
        this.b = b;
        this.V = V;
        this.c = c;
    }

    /** Small random weights (drawn U, W, V in that order, row by row), zero biases. */
    public static SineTanhRnn random(int H, int T, Rng rng) {
        double[] U = gaussian(H * T, 0.1, rng);
        double[] W = gaussian(H * H, 0.5 / Math.sqrt(H), rng);
        double[] V = gaussian(H, 0.1, rng);
        return new SineTanhRnn(H, T, U, W, new double[H], V, new double[1]);
    }

    private static double[] gaussian(int n, double scale, Rng rng) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextGaussian() * scale;
        }
        return a;
    }

    /** The parameters: U, W, b, V, c. */
    public List<double[]> params() {
        return List.of(U, W, b, V, c);
    }

    /** ŷ for a window of T values; keeps the states for {@link #backward}. */
    public double predict(double[] x) {
        if (x.length != T) {
            throw new IllegalArgumentException("a window holds " + T + " values, got " + x.length);
        }
        lastX = x.clone();
        states = new double[T + 1][];
        double[] s = new double[H];
        states[0] = s;
        for (int t = 0; t < T; t++) {
            double[] next = new double[H];
            for (int i = 0; i < H; i++) {
                double a = U[i * T + t] * x[t] + b[i];             // U x̃_t + b
                for (int j = 0; j < H; j++) {
                    a += W[i * H + j] * s[j];
                }
                next[i] = StrictMath.tanh(a);
            }
            s = next;
            states[t + 1] = s;
        }
        double y = c[0];
        for (int j = 0; j < H; j++) {
            y += V[j] * s[j];
        }
        return y;
    }

    /** dU, dW, db, dV, dc of L = (y − ŷ)²/2 for the last {@link #predict} window, through all T steps. */
    public Gradients backward(double y, double yHat) {
        double[] dU = new double[H * T];
        double[] dW = new double[H * H];
        double[] db = new double[H];
        double[] dV = new double[H];
        double d = yHat - y;                                       // dL/dŷ
        double[] last = states[T];
        double[] ds = new double[H];
        for (int j = 0; j < H; j++) {
            dV[j] = d * last[j];                                   // dV = dŷ s_{T−1}ᵀ
            ds[j] = V[j] * d;                                      // ds_{T−1} = Vᵀ dŷ
        }
        for (int t = T - 1; t >= 0; t--) {
            double[] s = states[t + 1];
            double[] sPrev = states[t];
            double[] da = new double[H];
            for (int i = 0; i < H; i++) {
                da[i] = (1 - s[i] * s[i]) * ds[i];                 // tanh' = 1 − s²
                db[i] += da[i];
            }
            double[] dsPrev = new double[H];
            for (int i = 0; i < H; i++) {
                dU[i * T + t] += da[i] * lastX[t];                 // da x̃_tᵀ: column t
                for (int j = 0; j < H; j++) {
                    dW[i * H + j] += da[i] * sPrev[j];             // da s_{t−1}ᵀ
                    dsPrev[j] += W[i * H + j] * da[i];             // Wᵀ da
                }
            }
            ds = dsPrev;
        }
        return new Gradients(List.of(dU, dW, db, dV, new double[] {d}));
    }

    /** Plain gradient descent: θ −= lr · g for every parameter. */
    public void sgd(Gradients g, double learningRate) {
        Gradients.descend(params(), g, learningRate);
    }
}
