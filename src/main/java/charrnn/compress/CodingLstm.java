package charrnn.compress;

import charrnn.numeric.IeeeMath;
import charrnn.util.Rng;

/**
 * The model a {@code .crnn} file is coded with: a byte-level LSTM (V = 256 inputs and outputs, an embedding
 * of E, one layer of H, PyTorch's equations with gates i, f, g, o) over B streams that carry their state,
 * learning while it codes: after every window of T steps, one step of Adam on the loss of the bytes just
 * coded (averaged over them), backpropagated through the window, every gradient entry clipped to ±{@link
 * #CLIP}.
 *
 * <p>Every value is float32 and computed by this class's own loops in an order nothing varies
 * ({@link Lanes}: fused multiply-add chains; sums in a fixed order; exp, σ and tanh from IEEE operations,
 * {@link IeeeMath}; Adam's bias corrections by StrictMath), so that the encoder and the decoder compute the
 * same probabilities, bit for bit, on any CPU and JVM. Matrices are kept transposed (a row per input
 * element) so that the forward products are {@link Lanes#axpy} chains.
 */
final class CodingLstm {
    static final int V = 256;
    static final float CLIP = 5f;
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    final int E;
    final int H;
    final int G;      // 4H: the gates' pre-activations
    final int B;
    final int T;
    private final float learningRate;

    // the parameters, one array: emb (V, E) | WxT (E, G) | WhT (H, G) | b (G) | WhyT (H, V) | by (V)
    final float[] theta;
    private final int oEmb;
    private final int oWx;
    private final int oWh;
    private final int oB;
    private final int oWhy;
    private final int oBy;
    private final float[] grad;
    private final float[] m;
    private final float[] v;
    private long step;    // Adam's updates so far

    // each stream's state at the window's start, and the window's values: [t][s][...]
    private final float[][] h0;
    private final float[][] c0;
    private final int[][] input;
    private final int[][] target;
    private final float[][][] gates;  // i, f, g, o after σ / tanh
    private final float[][][] c;
    private final float[][][] h;
    private final float[][][] p;      // the probabilities of the next byte
    private final boolean[][] active; // whether stream s coded a byte at step t
    private final float[] z;
    private final float[] y;
    // backward's: what flows to the step before (per stream), and one step's gradients
    private final float[][] dhNext;
    private final float[][] dcNext;
    private final float[] dy;
    private final float[] dh;
    private final float[] dz;

    /** A new model, its weights drawn from {@code seed}: the embedding N(0, 1), the rest U(±1/√H), biases 0. */
    CodingLstm(int embeddingSize, int hiddenSize, int streams, int window, double learningRate, long seed) {
        E = embeddingSize;
        H = hiddenSize;
        G = 4 * H;
        B = streams;
        T = window;
        this.learningRate = (float) learningRate;
        oEmb = 0;
        oWx = oEmb + V * E;
        oWh = oWx + E * G;
        oB = oWh + H * G;
        oWhy = oB + G;
        oBy = oWhy + H * V;
        int count = oBy + V;
        theta = new float[count];
        grad = new float[count];
        m = new float[count];
        v = new float[count];
        Rng rng = new Rng(seed);
        for (int i = oEmb; i < oWx; i++) {
            theta[i] = (float) rng.nextGaussian();
        }
        float k = (float) (1 / Math.sqrt(H));
        for (int i = oWx; i < oB; i++) {
            theta[i] = (float) ((2 * rng.nextDouble() - 1) * k);
        }
        for (int i = oWhy; i < oBy; i++) {
            theta[i] = (float) ((2 * rng.nextDouble() - 1) * k);
        }
        h0 = new float[B][H];
        c0 = new float[B][H];
        input = new int[T][B];
        target = new int[T][B];
        gates = new float[T][B][G];
        c = new float[T][B][H];
        h = new float[T][B][H];
        p = new float[T][B][V];
        active = new boolean[T][B];
        z = new float[G];
        y = new float[V];
        dhNext = new float[B][H];
        dcNext = new float[B][H];
        dy = new float[V];
        dh = new float[H];
        dz = new float[G];
    }

    int parameterCount() {
        return theta.length;
    }

    /**
     * Step t of the window for stream s: reads byte {@code x} (the stream's previous byte, 0 at its start)
     * and returns the probabilities of the next one (the model's array: read it before the next call).
     */
    float[] forward(int t, int s, int x) {
        float[] hPrev = t == 0 ? h0[s] : h[t - 1][s];
        float[] cPrev = t == 0 ? c0[s] : c[t - 1][s];
        input[t][s] = x;
        active[t][s] = true;
        System.arraycopy(theta, oB, z, 0, G);                        // z = b
        for (int e = 0; e < E; e++) {                                // + Wx emb[x]
            Lanes.axpy(theta[oEmb + x * E + e], theta, oWx + e * G, z, 0, G);
        }
        for (int j = 0; j < H; j++) {                                // + Wh h_{t-1}
            Lanes.axpy(hPrev[j], theta, oWh + j * G, z, 0, G);
        }
        float[] a = gates[t][s];
        float[] ct = c[t][s];
        float[] ht = h[t][s];
        for (int j = 0; j < H; j++) {
            float i = IeeeMath.sigmoidFloat(z[j]);
            float f = IeeeMath.sigmoidFloat(z[H + j]);
            float g = IeeeMath.tanhFloat(z[2 * H + j]);
            float o = IeeeMath.sigmoidFloat(z[3 * H + j]);
            a[j] = i;
            a[H + j] = f;
            a[2 * H + j] = g;
            a[3 * H + j] = o;
            ct[j] = f * cPrev[j] + i * g;                             // c_t = f ⊙ c_{t-1} + i ⊙ g
            ht[j] = o * IeeeMath.tanhFloat(ct[j]);                    // h_t = o ⊙ tanh(c_t)
        }
        System.arraycopy(theta, oBy, y, 0, V);                        // y = by + Why h_t
        for (int j = 0; j < H; j++) {
            Lanes.axpy(ht[j], theta, oWhy + j * V, y, 0, V);
        }
        float[] pt = p[t][s];
        Lanes.softmax(y, pt, V);
        return pt;
    }

    /** The byte that came at step t of stream s (the loss's target). */
    void coded(int t, int s, int b) {
        target[t][s] = b;
    }

    /** Stream s coded nothing at step t (its segment ended): its state stays as it was. */
    void idle(int t, int s) {
        active[t][s] = false;
        float[] hPrev = t == 0 ? h0[s] : h[t - 1][s];
        float[] cPrev = t == 0 ? c0[s] : c[t - 1][s];
        System.arraycopy(hPrev, 0, h[t][s], 0, H);
        System.arraycopy(cPrev, 0, c[t][s], 0, H);
    }

    /**
     * The window's steps [0, steps) are coded: one step of Adam on their mean loss (nothing when the
     * learning rate is 0), and each stream's state at step steps − 1 becomes the next window's start.
     */
    void learn(int steps) {
        if (learningRate > 0) {
            backward(steps);
            adam();
        }
        for (int s = 0; s < B; s++) {
            System.arraycopy(h[steps - 1][s], 0, h0[s], 0, H);
            System.arraycopy(c[steps - 1][s], 0, c0[s], 0, H);
        }
    }

    /** Gradients of the mean of −ln p[target] over the window's active steps, into grad. */
    void backward(int steps) {
        java.util.Arrays.fill(grad, 0f);
        int count = 0;
        for (int t = 0; t < steps; t++) {
            for (int s = 0; s < B; s++) {
                count += active[t][s] ? 1 : 0;
            }
        }
        if (count == 0) {
            return;
        }
        float scale = 1f / count;
        for (int st = 0; st < B; st++) {
            java.util.Arrays.fill(dhNext[st], 0f);
            java.util.Arrays.fill(dcNext[st], 0f);
        }
        for (int t = steps - 1; t >= 0; t--) {
            for (int s = 0; s < B; s++) {
                if (!active[t][s]) {
                    continue;   // the state passed through: dh and dc flow on unchanged
                }
                float[] ht = h[t][s];
                float[] pt = p[t][s];
                for (int k = 0; k < V; k++) {                         // dy = (p − onehot(target)) / count
                    dy[k] = pt[k] * scale;
                }
                dy[target[t][s]] -= scale;
                for (int k = 0; k < V; k++) {
                    grad[oBy + k] += dy[k];                          // dby += dy
                }
                for (int j = 0; j < H; j++) {
                    Lanes.axpy(ht[j], dy, 0, grad, oWhy + j * V, V);          // dWhy += dy h_tᵀ
                    dh[j] = Lanes.dot(theta, oWhy + j * V, dy, 0, V) + dhNext[s][j];   // dh = Whyᵀ dy + dh_next
                }
                float[] a = gates[t][s];
                float[] cPrev = t == 0 ? c0[s] : c[t - 1][s];
                float[] hPrev = t == 0 ? h0[s] : h[t - 1][s];
                float[] ct = c[t][s];
                float[] dc = dcNext[s];
                for (int j = 0; j < H; j++) {
                    float i = a[j];
                    float f = a[H + j];
                    float g = a[2 * H + j];
                    float o = a[3 * H + j];
                    float tc = IeeeMath.tanhFloat(ct[j]);
                    float dcj = dc[j] + dh[j] * o * (1 - tc * tc);   // dc = dc_next + dh ⊙ o ⊙ (1 − tanh²(c))
                    dz[j] = dcj * g * i * (1 - i);                   // di · σ'
                    dz[H + j] = dcj * cPrev[j] * f * (1 - f);        // df · σ'
                    dz[2 * H + j] = dcj * i * (1 - g * g);           // dg · tanh'
                    dz[3 * H + j] = dh[j] * tc * o * (1 - o);        // do · σ'
                    dc[j] = dcj * f;                                 // dc_{t-1}
                }
                for (int r = 0; r < G; r++) {
                    grad[oB + r] += dz[r];                           // db += dz
                }
                int x = input[t][s];
                for (int e = 0; e < E; e++) {
                    Lanes.axpy(theta[oEmb + x * E + e], dz, 0, grad, oWx + e * G, G);            // dWx += dz embᵀ
                    grad[oEmb + x * E + e] += Lanes.dot(theta, oWx + e * G, dz, 0, G);         // demb += Wxᵀ dz
                }
                for (int j = 0; j < H; j++) {
                    Lanes.axpy(hPrev[j], dz, 0, grad, oWh + j * G, G);                          // dWh += dz h_{t-1}ᵀ
                    dhNext[s][j] = Lanes.dot(theta, oWh + j * G, dz, 0, G);                     // dh_{t-1} = Whᵀ dz
                }
            }
        }
    }

    /** θ −= lr · m̂ / (√v̂ + ε), each gradient entry clipped to ±CLIP first. */
    private void adam() {
        step++;
        float c1 = (float) (1 - StrictMath.pow(BETA1, step));
        float c2 = (float) (1 - StrictMath.pow(BETA2, step));
        for (int i = 0; i < theta.length; i++) {
            float d = Math.max(-CLIP, Math.min(CLIP, grad[i]));
            m[i] = BETA1 * m[i] + (1 - BETA1) * d;
            v[i] = BETA2 * v[i] + (1 - BETA2) * d * d;
            float mHat = m[i] / c1;
            float vHat = v[i] / c2;
            theta[i] -= learningRate * mHat / ((float) Math.sqrt(vHat) + EPSILON);
        }
    }

    /** The gradient entries backward() made (for tests). */
    float[] grad() {
        return grad;
    }

    /** The mean loss of the window's active steps, in nats (for tests and the progress line). */
    double loss(int steps) {
        double sum = 0;
        int count = 0;
        for (int t = 0; t < steps; t++) {
            for (int s = 0; s < B; s++) {
                if (active[t][s]) {
                    sum -= Math.log(p[t][s][target[t][s]]);
                    count++;
                }
            }
        }
        return count == 0 ? 0 : sum / count;
    }
}
