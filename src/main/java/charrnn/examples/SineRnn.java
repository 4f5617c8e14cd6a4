package charrnn.examples;

import charrnn.numeric.IeeeMath;
import charrnn.util.Rng;
import java.util.List;

/**
 * The sine tutorial's network: a window of T values read one per step into H sigmoid units, no biases,
 * and one linear output from the last state:
 * <pre>
 *   s_t = σ(U x̃_t + W s_{t−1}),   s_{−1} = 0,   x̃_t = the window with every value but x_t set to 0
 *   ŷ   = V s_{T−1},   L = (y − ŷ)² / 2
 * </pre>
 * U is H × T, as the tutorial makes it, so U x̃_t = U[:, t] x_t: each position of the window has its own
 * input weights. Gradients are truncated as the tutorial's text says: from the output back through the
 * last {@code truncate} + 1 steps, the state before them held constant.
 *
 * <p>{@link #learning} is the same shape made to learn the wave instead of its mean:
 * <pre>
 *   s_t = tanh(U x̃_t + W s_{t−1} + b),   ŷ = V s_{T−1} + c
 * </pre>
 * tanh units (zero-centred, so they do not all saturate at 1 as the tutorial's sigmoids from uniform(0, 1)
 * weights do), biases b and c, and small initial weights (U, V from N(0, 0.1²), W from N(0, 0.5²/H),
 * biases 0); the example backpropagates it through the whole window.
 */
@SuppressWarnings({"checkstyle:MemberName", "checkstyle:ParameterName", "checkstyle:LocalVariableName"})
public final class SineRnn {
    public final int H;
    public final int T;
    public final double[] U;   // (H, T)
    public final double[] W;   // (H, H)
    public final double[] V;   // (1, H)
    public final double[] b;   // (H), or null: the tutorial's has no biases
    public final double[] c;   // (1), or null
    private final boolean tanh;   // tanh units (the learning version), else sigmoid
    private double[] lastX;
    private double[][] states;  // [T + 1][H]: states[0] = s_{−1} = 0, states[t + 1] = s_t

    /** The network over the given arrays (used in place: training changes them). */
    public SineRnn(int H, int T, double[] U, double[] W, double[] V) {
        this(H, T, U, W, V, null, null, false);
    }

    private SineRnn(int H, int T, double[] U, double[] W, double[] V, double[] b, double[] c, boolean tanh) {
        if (U.length != H * T || W.length != H * H || V.length != H) {
            throw new IllegalArgumentException("U, W, V must be " + H + "×" + T + ", " + H + "×" + H + ", 1×" + H);
        }
        this.H = H;
        this.T = T;
        this.U = U;
        this.W = W;
        this.V = V;
        this.b = b;
        this.c = c;
        this.tanh = tanh;
    }

    /** The learning version: tanh, biases, small weights (U, W, V drawn in that order, row by row), biases 0. */
    public static SineRnn learning(int H, int T, Rng rng) {
        double[] U = gaussian(H * T, 0.1, rng);
        double[] W = gaussian(H * H, 0.5 / Math.sqrt(H), rng);
        double[] V = gaussian(H, 0.1, rng);
        return new SineRnn(H, T, U, W, V, new double[H], new double[1], true);
    }

    private static double[] gaussian(int n, double scale, Rng rng) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextGaussian() * scale;
        }
        return a;
    }

    /** The tutorial's initialisation: U, W, V uniform in [0, 1), drawn in that order, row by row. */
    public static SineRnn random(int H, int T, Rng rng) {
        return new SineRnn(H, T, uniform(H * T, rng), uniform(H * H, rng), uniform(H, rng));
    }

    private static double[] uniform(int n, Rng rng) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble();
        }
        return a;
    }

    /** The parameters in the tutorial's order: U, W, V (the learning version: U, W, b, V, c). */
    public List<double[]> params() {
        return b == null ? List.of(U, W, V) : List.of(U, W, b, V, c);
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
                double a = U[i * T + t] * x[t];                    // U x̃_t (+ b)
                if (b != null) {
                    a += b[i];
                }
                for (int j = 0; j < H; j++) {
                    a += W[i * H + j] * s[j];
                }
                next[i] = tanh ? StrictMath.tanh(a) : IeeeMath.sigmoid(a);
            }
            s = next;
            states[t + 1] = s;
        }
        double y = c == null ? 0 : c[0];
        for (int j = 0; j < H; j++) {
            y += V[j] * s[j];
        }
        return y;
    }

    /**
     * dU, dW, dV of L = (y − ŷ)²/2 for the last {@link #predict} window, backpropagated through steps
     * T−1, T−2, …, T−1−truncate (s before them held constant).
     */
    public Gradients backward(double y, double yHat, int truncate) {
        double[] dU = new double[H * T];
        double[] dW = new double[H * H];
        double[] dV = new double[H];
        double[] db = b == null ? null : new double[H];
        double d = yHat - y;                                       // dL/dŷ
        double[] last = states[T];
        double[] ds = new double[H];
        for (int j = 0; j < H; j++) {
            dV[j] = d * last[j];                                   // dV = dŷ s_{T−1}ᵀ
            ds[j] = V[j] * d;                                      // ds_{T−1} = Vᵀ dŷ
        }
        for (int t = T - 1; t >= Math.max(0, T - 1 - truncate); t--) {
            double[] s = states[t + 1];
            double[] sPrev = states[t];
            double[] dadd = new double[H];
            for (int i = 0; i < H; i++) {
                dadd[i] = (tanh ? 1 - s[i] * s[i] : s[i] * (1 - s[i])) * ds[i];   // tanh' = 1 − s², σ' = s (1 − s)
                if (db != null) {
                    db[i] += dadd[i];
                }
            }
            double[] dsPrev = new double[H];
            for (int i = 0; i < H; i++) {
                dU[i * T + t] += dadd[i] * lastX[t];               // dadd x̃_tᵀ: column t
                for (int j = 0; j < H; j++) {
                    dW[i * H + j] += dadd[i] * sPrev[j];           // dadd s_{t−1}ᵀ
                    dsPrev[j] += W[i * H + j] * dadd[i];           // Wᵀ dadd
                }
            }
            ds = dsPrev;
        }
        return new Gradients(b == null ? List.of(dU, dW, dV) : List.of(dU, dW, db, dV, new double[] {d}));
    }

    /** Plain gradient descent: θ −= lr · g for every parameter. */
    public void sgd(Gradients g, double learningRate) {
        Gradients.descend(params(), g, learningRate);
    }
}
