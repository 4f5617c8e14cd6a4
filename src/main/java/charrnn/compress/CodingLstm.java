package charrnn.compress;

import charrnn.numeric.IeeeMath;
import charrnn.util.Rng;
import charrnn.util.Worker;
import java.util.Arrays;

/**
 * The model a {@code .crnn} file is coded with: a byte-level LSTM (V = 256 inputs and outputs, an embedding
 * of E, one layer of H, PyTorch's equations with gates i, f, g, o) over B streams that carry their state,
 * learning while it codes: after every window of T steps, one step of Adam on the loss of the bytes just
 * coded (averaged over them), backpropagated through the window, every gradient entry clipped to ±{@link
 * #CLIP}.
 *
 * <p>The step lands one window late: window k is coded with θ_{k−1}, the parameters after the steps of
 * windows 0 … k − 2 (θ_{−1} = θ_0, the seeded start), so that the gradient of window k − 1 can be computed
 * while window k is coded, on a second thread; it is computed at θ_{k−2}, the parameters that window was
 * coded with, and applied to θ_{k−1}: θ_k = Adam(θ_{k−1}, g_{k−1}). On one thread the same values are computed
 * one after the other.
 *
 * <p>Every value is float32 and computed by this class's own loops in an order nothing varies
 * ({@link Lanes}: fused multiply-add chains; sums in a fixed order; exp, σ and tanh from IEEE operations,
 * {@link IeeeMath}; Adam's bias corrections by StrictMath), so that the encoder and the decoder compute the
 * same probabilities, bit for bit, on any CPU, JVM and thread count. Matrices are kept transposed (a row
 * per input element) so that the forward products are {@link Lanes#gemv} chains; the backward pass reads
 * copies in the other layout.
 */
final class CodingLstm implements AutoCloseable {
    static final int V = 256;
    static final float CLIP = Lanes.ADAM_CLIP;

    final int E;
    final int H;
    final int G;      // 4H: the gates' pre-activations
    final int B;
    final int T;
    private final float learningRate;

    // the parameters, one array: emb (V, E) | WxT (E, G) | WhT (H, G) | b (G) | WhyT (H, V) | by (V)
    /** θ_{k−1}, what the window being coded reads (the forward pass's). */
    float[] theta;
    /** θ_{k−2}, what the window before was coded with, until the step writes θ_k over it. */
    private float[] previous;
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

    // the backward pass's: the weights it reads, in the other layout: Why (V, H), Wx (G, E), Wh (G, H)
    private final float[] why;
    private final float[] wx;
    private final float[] wh;
    private final float[] dh;
    // the window's steps in backward's order (q): dy and dz as rows, the inputs they multiply as columns
    private final int Q;              // T·B: the most steps a window has
    private final float[] dY;         // (Q, V)
    private final float[] dZ;         // (Q, G)
    private final float[] hT;         // (H, Q): h_t
    private final float[] embT;       // (E, Q): emb[x_t]
    private final float[] hPrevT;     // (H, Q): h_{t-1}
    private final float[] ONES;       // (Q): the biases' coefficients

    // the window being coded and the one before (whose gradient is under way), alternately
    private final Window[] windows = new Window[2];
    private int k;                    // the window being coded
    private final float[] z;
    private final float[] y;

    // threads: the step of window k − 1 runs on the learner while window k is coded (for N ≥ 2); the
    // gradient's rows and the update are shared out over the learner's threads (N − 1 of them, or 1)
    private final Worker learner;
    private final CodingThreads parts;
    private boolean learning;         // a step under way on the learner
    /**
     * The windows whose steps run on the calling thread even when there is a learner: while the JIT compiles
     * the loops, two busy threads (one coding, one learning or spinning for the next step) would leave its
     * compiler threads no core on a 2-core machine (100 KB of text took 3.6 s on 2 threads, 2.8 s with these
     * first 2,000 steps here). Where a step runs changes no value.
     */
    private static final int WARM_UP = 2000;

    /** A window's values: [t][s][...], each stream's state at its start, which steps coded a byte. */
    private final class Window {
        final float[][] h0 = new float[B][H];
        final float[][] c0 = new float[B][H];
        final int[][] input = new int[T][B];
        final int[][] target = new int[T][B];
        final float[][][] gates = new float[T][B][G];  // i, f, g, o after σ / tanh
        final float[][][] c = new float[T][B][H];
        final float[][][] h = new float[T][B][H];
        final float[][][] p = new float[T][B][V];      // the probabilities of the next byte
        final boolean[][] active = new boolean[T][B];  // whether stream s coded a byte at step t
        final float[][] dhNext = new float[B][H];      // backward's: what flows to the step before
        final float[][] dcNext = new float[B][H];
        int steps;
    }

    /**
     * A new model, its weights drawn from {@code seed}: the embedding N(0, 1), the rest U(±1/√H), biases 0;
     * its learning on a thread of its own beside the caller's when {@code threads} ≥ 2.
     */
    CodingLstm(int embeddingSize, int hiddenSize, int streams, int window, double learningRate, long seed,
               int threads) {
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
        float scale = (float) (1 / Math.sqrt(H));
        for (int i = oWx; i < oB; i++) {
            theta[i] = (float) ((2 * rng.nextDouble() - 1) * scale);
        }
        for (int i = oWhy; i < oBy; i++) {
            theta[i] = (float) ((2 * rng.nextDouble() - 1) * scale);
        }
        previous = theta.clone();
        why = new float[V * H];
        wx = new float[G * E];
        wh = new float[G * H];
        dh = new float[H];
        Q = T * B;
        dY = new float[Q * V];
        dZ = new float[Q * G];
        hT = new float[H * Q];
        embT = new float[E * Q];
        hPrevT = new float[H * Q];
        ONES = new float[Q];
        Arrays.fill(ONES, 1f);
        windows[0] = new Window();
        windows[1] = new Window();
        z = new float[G];
        y = new float[V];
        charrnn.util.Threads.check(threads);
        learner = threads >= 2 ? new Worker("charrnn-compress-learner") : Worker.onCallingThread();
        parts = new CodingThreads(Math.max(1, threads - 1));
    }

    /** Waits for the step under way and stops the model's threads. */
    @Override
    public void close() {
        try {
            settle();
        } finally {
            parts.close();
            learner.close();
        }
    }

    int parameterCount() {
        return theta.length;
    }

    /**
     * Step t of the window for stream s: reads byte {@code x} (the stream's previous byte, 0 at its start)
     * and returns the scores of the next one, y = ln p + a constant (the model's array: read it before the next
     * call).
     */
    float[] forward(int t, int s, int x) {
        Window w = windows[k & 1];
        float[] hPrev = t == 0 ? w.h0[s] : w.h[t - 1][s];
        float[] cPrev = t == 0 ? w.c0[s] : w.c[t - 1][s];
        w.input[t][s] = x;
        w.active[t][s] = true;
        System.arraycopy(theta, oB, z, 0, G);                        // z = b
        Lanes.gemv(theta, oEmb + x * E, E, theta, oWx, G, z, 0);     //   + Wx emb[x]
        Lanes.gemv(hPrev, 0, H, theta, oWh, G, z, 0);                //   + Wh h_{t-1}
        float[] a = w.gates[t][s];
        float[] ct = w.c[t][s];
        float[] ht = w.h[t][s];
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
        Lanes.gemv(ht, 0, H, theta, oWhy, V, y, 0);
        Lanes.softmax(y, w.p[t][s], V);
        return y;
    }

    /** The byte that came at step t of stream s (the loss's target). */
    void coded(int t, int s, int b) {
        windows[k & 1].target[t][s] = b;
    }

    /** Stream s coded nothing at step t (its segment ended): its state stays as it was. */
    void idle(int t, int s) {
        Window w = windows[k & 1];
        w.active[t][s] = false;
        float[] hPrev = t == 0 ? w.h0[s] : w.h[t - 1][s];
        float[] cPrev = t == 0 ? w.c0[s] : w.c[t - 1][s];
        System.arraycopy(hPrev, 0, w.h[t][s], 0, H);
        System.arraycopy(cPrev, 0, w.c[t][s], 0, H);
    }

    /**
     * The window's steps [0, steps) are coded. The step of the window before is waited for (θ_k is ready:
     * the next window reads it), this window's step is started (on the learner, or here on one thread), and
     * each stream's state at step steps − 1 becomes the next window's start.
     */
    void learn(int steps) {
        Window w = windows[k & 1];
        w.steps = steps;
        settle();
        Window next = windows[(k + 1) & 1];
        for (int s = 0; s < B; s++) {
            System.arraycopy(w.h[steps - 1][s], 0, next.h0[s], 0, H);
            System.arraycopy(w.c[steps - 1][s], 0, next.c0[s], 0, H);
        }
        if (learningRate > 0) {
            learning = true;
            if (k < WARM_UP) {
                step(w);                   // here, now (θ_k is still read next, as on the learner)
            } else {
                learner.fork(() -> step(w));
            }
        }
        k++;
    }

    /** Waits for the step under way, if any, and makes its θ the one the next window reads. */
    private void settle() {
        if (!learning) {
            return;
        }
        learning = false;
        learner.join();
        float[] swap = theta;       // θ_k, written over θ_{k−2}, becomes what is read; θ_{k−1} what was
        theta = previous;
        previous = swap;
    }

    /**
     * Window w's step, on the learner: its gradient at θ_{k−2} ({@link #previous}, which this reads first),
     * then θ_k = Adam(θ_{k−1}, g), written over θ_{k−2}.
     */
    private void step(Window w) {
        backward(w, previous);
        adam(theta, previous);
    }

    /** Gradients of the current window's loss at the parameters it was coded with, into grad (for tests). */
    void backward(int steps) {
        Window w = windows[k & 1];
        w.steps = steps;
        backward(w, theta);
    }

    /**
     * Gradients of the mean of −ln p[target] over window w's active steps at parameters {@code at}, into grad:
     * first back through the steps (t from the last, the streams in order), each step's dy and dz kept as row
     * q of dY and dZ with the inputs they multiply (as columns q of hT, embT and hPrevT); then every row of
     * the weights' gradients as one {@link Lanes#gemv} over those rows, in the order q, which is the order of
     * the steps; the rows are shared out over the threads, which each compute whole rows, so that the thread
     * count changes no bit.
     */
    private void backward(Window w, float[] at) {
        transpose(at, oWhy, H, V, why);
        transpose(at, oWx, E, G, wx);
        transpose(at, oWh, H, G, wh);
        Arrays.fill(grad, 0f);
        int count = 0;
        for (int t = 0; t < w.steps; t++) {
            for (int s = 0; s < B; s++) {
                count += w.active[t][s] ? 1 : 0;
            }
        }
        if (count == 0) {
            return;
        }
        float scale = 1f / count;
        for (int s = 0; s < B; s++) {
            Arrays.fill(w.dhNext[s], 0f);
            Arrays.fill(w.dcNext[s], 0f);
        }
        int q = 0;
        for (int t = w.steps - 1; t >= 0; t--) {
            for (int s = 0; s < B; s++) {
                if (!w.active[t][s]) {
                    continue;   // the state passed through: dh and dc flow on unchanged
                }
                float[] ht = w.h[t][s];
                float[] pt = w.p[t][s];
                int dy = q * V;
                for (int i = 0; i < V; i++) {                         // dy = (p − onehot(target)) / count
                    dY[dy + i] = pt[i] * scale;
                }
                dY[dy + w.target[t][s]] -= scale;
                System.arraycopy(w.dhNext[s], 0, dh, 0, H);           // dh = dh_next + Whyᵀ dy
                Lanes.gemv(dY, dy, V, why, 0, H, dh, 0);
                float[] a = w.gates[t][s];
                float[] cPrev = t == 0 ? w.c0[s] : w.c[t - 1][s];
                float[] hPrev = t == 0 ? w.h0[s] : w.h[t - 1][s];
                float[] ct = w.c[t][s];
                float[] dc = w.dcNext[s];
                int dz = q * G;
                for (int j = 0; j < H; j++) {
                    float i = a[j];
                    float f = a[H + j];
                    float g = a[2 * H + j];
                    float o = a[3 * H + j];
                    float tc = IeeeMath.tanhFloat(ct[j]);
                    float dcj = dc[j] + dh[j] * o * (1 - tc * tc);   // dc = dc_next + dh ⊙ o ⊙ (1 − tanh²(c))
                    dZ[dz + j] = dcj * g * i * (1 - i);              // di · σ'
                    dZ[dz + H + j] = dcj * cPrev[j] * f * (1 - f);   // df · σ'
                    dZ[dz + 2 * H + j] = dcj * i * (1 - g * g);      // dg · tanh'
                    dZ[dz + 3 * H + j] = dh[j] * tc * o * (1 - o);   // do · σ'
                    dc[j] = dcj * f;                                 // dc_{t-1}
                }
                int x = w.input[t][s];
                Lanes.gemv(dZ, dz, G, wx, 0, E, grad, oEmb + x * E);   // demb += Wxᵀ dz
                Arrays.fill(w.dhNext[s], 0f);                          // dh_{t-1} = Whᵀ dz
                Lanes.gemv(dZ, dz, G, wh, 0, H, w.dhNext[s], 0);
                for (int e = 0; e < E; e++) {
                    embT[e * Q + q] = at[oEmb + x * E + e];
                }
                for (int j = 0; j < H; j++) {
                    hT[j * Q + q] = ht[j];
                    hPrevT[j * Q + q] = hPrev[j];
                }
                q++;
            }
        }
        int coded = q;
        parts.run(part -> {
            int rows = 2 * H + E + 2;
            for (int r = rows * part / parts.count(); r < rows * (part + 1) / parts.count(); r++) {
                gradientRow(r, coded);
            }
        });
    }

    /**
     * Row r of the weights' gradients, the sum over the window's steps q: dWhy += dy h_tᵀ (rows 0 … H − 1),
     * dby += dy (H), dWx += dz emb[x]ᵀ (the next E), dWh += dz h_{t-1}ᵀ (the next H), db += dz (the last).
     */
    private void gradientRow(int r, int steps) {
        if (r < H) {
            Lanes.gemv(hT, r * Q, steps, dY, 0, V, grad, oWhy + r * V);
        } else if (r == H) {
            Lanes.gemv(ONES, 0, steps, dY, 0, V, grad, oBy);
        } else if (r < H + 1 + E) {
            int e = r - H - 1;
            Lanes.gemv(embT, e * Q, steps, dZ, 0, G, grad, oWx + e * G);
        } else if (r < 2 * H + 1 + E) {
            int j = r - H - 1 - E;
            Lanes.gemv(hPrevT, j * Q, steps, dZ, 0, G, grad, oWh + j * G);
        } else {
            Lanes.gemv(ONES, 0, steps, dZ, 0, G, grad, oB);
        }
    }

    /**
     * {@code into} := Adam({@code from}, grad): each gradient entry clipped to ±CLIP, then θ −= lr · m̂ / (√v̂ + ε);
     * the entries shared out over the threads.
     */
    private void adam(float[] from, float[] into) {
        step++;
        float c1 = (float) (1 - StrictMath.pow(Lanes.BETA1, step));
        float c2 = (float) (1 - StrictMath.pow(Lanes.BETA2, step));
        int n = theta.length;
        parts.run(part -> Lanes.adam(from, into, grad, m, v, (int) ((long) n * part / parts.count()),
                (int) ((long) n * (part + 1) / parts.count()), learningRate, c1, c2));
    }

    /** to (columns, rows) := the transpose of from's (rows, columns) at offset. */
    private static void transpose(float[] from, int offset, int rows, int columns, float[] to) {
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < columns; i++) {
                to[i * rows + r] = from[offset + r * columns + i];
            }
        }
    }

    /** The gradient entries backward() made (for tests). */
    float[] grad() {
        return grad;
    }

    /** The mean loss of the current window's active steps, in nats (for tests). */
    double loss(int steps) {
        Window w = windows[k & 1];
        double sum = 0;
        int count = 0;
        for (int t = 0; t < steps; t++) {
            for (int s = 0; s < B; s++) {
                if (w.active[t][s]) {
                    sum -= Math.log(w.p[t][s][w.target[t][s]]);
                    count++;
                }
            }
        }
        return count == 0 ? 0 : sum / count;
    }
}
