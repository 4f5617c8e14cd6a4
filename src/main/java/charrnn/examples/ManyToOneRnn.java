package charrnn.examples;

import charrnn.numeric.IeeeMath;
import charrnn.util.Rng;
import java.util.List;

/**
 * The sentiment tutorial's many-to-one RNN. It reads a phrase one word at a time, x_t one-hot over the
 * training vocabulary, and classifies it from its last hidden state only:
 * <pre>
 *   h_t = tanh(Wxh x_t + Whh h_{t−1} + bh),   h_0 = 0
 *   y   = Why h_n + by,   p = softmax(y),   L = −ln p_c
 * </pre>
 * Backpropagation runs through the whole phrase. float64, row-major arrays.
 */
@SuppressWarnings({"checkstyle:MemberName", "checkstyle:ParameterName", "checkstyle:LocalVariableName"})
public final class ManyToOneRnn {
    public final int V;
    public final int H;
    public final int C;
    public final double[] Wxh;   // (H, V)
    public final double[] Whh;   // (H, H)
    public final double[] Why;   // (C, H)
    public final double[] bh;    // (H)
    public final double[] by;    // (C)
    private int[] lastInputs;
    private double[][] lastHs;   // [n + 1][H]: lastHs[0] = h_0 = 0, lastHs[t] = h_t

    /** The network over the given arrays (used in place: training changes them). */
    public ManyToOneRnn(int V, int H, int C, double[] Wxh, double[] Whh, double[] Why, double[] bh, double[] by) {
        this.V = V;
        this.H = H;
        this.C = C;
        this.Wxh = check(Wxh, H * V, "Wxh");
        this.Whh = check(Whh, H * H, "Whh");
        this.Why = check(Why, C * H, "Why");
        this.bh = check(bh, H, "bh");
        this.by = check(by, C, "by");
    }

    private static double[] check(double[] a, int n, String name) {
        if (a.length != n) {
            throw new IllegalArgumentException(name + " has " + a.length + " values, expected " + n);
        }
        return a;
    }

    /** The tutorial's initialisation: weights N(0, 1)/1000, drawn Whh, Wxh, Why in row order; biases zero. */
    public static ManyToOneRnn random(int V, int H, int C, Rng rng) {
        double[] Whh = gaussian(H * H, rng);
        double[] Wxh = gaussian(H * V, rng);
        double[] Why = gaussian(C * H, rng);
        return new ManyToOneRnn(V, H, C, Wxh, Whh, Why, new double[H], new double[C]);
    }

    private static double[] gaussian(int n, Rng rng) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextGaussian() / 1000;
        }
        return a;
    }

    /** The parameters in the tutorial's order: Wxh, Whh, Why, bh, by. */
    public List<double[]> params() {
        return List.of(Wxh, Whh, Why, bh, by);
    }

    /** y (the C logits) for a phrase of word indices; keeps the states for {@link #backward}. */
    public double[] forward(int[] words) {
        lastInputs = words.clone();
        lastHs = new double[words.length + 1][];
        double[] h = new double[H];
        lastHs[0] = h;
        for (int t = 0; t < words.length; t++) {
            double[] next = new double[H];
            for (int i = 0; i < H; i++) {
                double a = Wxh[i * V + words[t]];                  // Wxh x_t: the word's column
                for (int j = 0; j < H; j++) {
                    a += Whh[i * H + j] * h[j];
                }
                next[i] = IeeeMath.tanh(a + bh[i]);
            }
            h = next;
            lastHs[t + 1] = h;
        }
        double[] y = new double[C];
        for (int c = 0; c < C; c++) {
            double a = 0;
            for (int j = 0; j < H; j++) {
                a += Why[c * H + j] * h[j];
            }
            y[c] = a + by[c];
        }
        return y;
    }

    /** The gradients of the loss of the last {@link #forward} phrase, given dy = dL/dy, through the whole phrase. */
    public Gradients backward(double[] dy) {
        int n = lastInputs.length;
        double[] dWxh = new double[H * V];
        double[] dWhh = new double[H * H];
        double[] dWhy = new double[C * H];
        double[] dbh = new double[H];
        double[] dby = dy.clone();                                  // dby = dy
        double[] hn = lastHs[n];
        double[] dh = new double[H];
        for (int c = 0; c < C; c++) {
            for (int j = 0; j < H; j++) {
                dWhy[c * H + j] = dy[c] * hn[j];                    // dWhy = dy h_nᵀ
                dh[j] += Why[c * H + j] * dy[c];                    // dh_n = Whyᵀ dy
            }
        }
        for (int t = n; t >= 1; t--) {
            double[] h = lastHs[t];
            double[] hPrev = lastHs[t - 1];
            double[] temp = new double[H];
            for (int i = 0; i < H; i++) {
                temp[i] = (1 - h[i] * h[i]) * dh[i];                // dL/dh ⊙ (1 − h_t²)
            }
            double[] dhPrev = new double[H];
            for (int i = 0; i < H; i++) {
                dbh[i] += temp[i];
                dWxh[i * V + lastInputs[t - 1]] += temp[i];         // temp x_tᵀ: the word's column
                for (int j = 0; j < H; j++) {
                    dWhh[i * H + j] += temp[i] * hPrev[j];          // temp h_{t−1}ᵀ
                    dhPrev[j] += Whh[i * H + j] * temp[i];          // Whhᵀ temp
                }
            }
            dh = dhPrev;
        }
        return new Gradients(List.of(dWxh, dWhh, dWhy, dbh, dby));
    }

    /** Plain gradient descent: θ −= lr · g for every parameter. */
    public void sgd(Gradients g, double learningRate) {
        Gradients.descend(params(), g, learningRate);
    }
}
