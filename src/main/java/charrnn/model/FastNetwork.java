package charrnn.model;

import charrnn.numeric.Blas;
import charrnn.numeric.IeeeMath;
import charrnn.numeric.NativeArray;
import charrnn.util.Rng;
import charrnn.util.Worker;
import java.util.Arrays;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link ReferenceNetwork}'s equations at the speed the CPU allows: every product is a direct call into
 * ND4J's OpenBLAS on the arrays' memory (for the whole window where the product does not depend on the
 * previous step: input projections, decoder, weight gradients; per layer and step for the recurrence,
 * with the streams as the rows of one matrix-matrix product), and the elementwise steps (gates, softmax,
 * dropout) are Java loops over that memory. FastLayer 0 never multiplies by a one-hot vector: it reads the
 * input's column of Wx, and its gradient adds into that column; with an embedding it reads the input's
 * row of emb, as the layers above read the layer below (one product for the window), and the gradient
 * of that row adds into the row of emb. Every buffer is made once, with the network.
 *
 * <p>Two cores: the B streams are split into two parts (streams [0, B/2) and [B/2, B)), and the two
 * threads each run one part's recurrence, forward and backward, with single-threaded BLAS and no
 * synchronisation per step (a stream's steps never read another stream's state). The whole-window
 * products are split by rows of their result. Every value is computed by one thread in a fixed order,
 * and the parts' sums (loss, bias gradients) are added part 0 first, so the result is the same bit for
 * bit with one thread or two.
 *
 * <p>σ, tanh and exp come from {@link IeeeMath}, whose results do not depend on JIT compilation, so the
 * same seed gives the same run and a resumed run continues bit for bit. Layout as in
 * {@link ReferenceNetwork}: row t·B + s of a window-sized array is step t of stream s.
 */
@SuppressWarnings({"checkstyle:LocalVariableName", "checkstyle:MemberName"})
public final class FastNetwork implements Network {
    final ModelSpec spec;
    final ParamSet params;
    private final int L;
    final int H;
    final int V;
    final int B;
    final int T;
    final int TB;               // T·B rows
    final boolean isDouble;
    final double dropout;
    final FastLayer[] layers;
    final Part[] parts;         // the streams in two contiguous parts (one when B = 1)
    private final Worker worker;        // runs part 1 while the calling thread runs part 0; null: in turn
    final int[] inputs;         // [T·B] vocabulary index of the input of row t·B + s
    private final int[] targets;        // [T·B] and of its target
    private final NativeArray Y;        // (T·B, V) logits
    private final NativeArray P;        // (T·B, V) probabilities, then dy
    private final NativeArray Dec;      // (T·B, H) decoder input with dropout (top layer's h_t ⊙ mask), or null
    private final NativeArray decMask;  // (T·B, H) or null
    private final NativeArray Why;      // (V, H)
    private final NativeArray by;       // (1, V)
    private final double[] bias;        // V: by
    private final double[] maskRows;    // B·H: a step of a dropout mask being drawn
    private final double[] dby;         // V: Σ dy_t, the parts' sums added
    private final NativeArray emb;      // (V, E) the input embedding, or null (one-hot input)
    final NativeArray dX0;      // (T·B, E) with an embedding: the gradient of layer 0's input rows
    private final double[] dxRow;       // E: a row of dX0
    private final double[] demb;        // V·E: Σ of dX0's rows per input character
    final int E;
    boolean dropped;

    /** The network on as many threads as it can use (two when the machine has two cores and B ≥ 2). */
    public FastNetwork(ParamSet params, int batchSize, int seqLength, double dropout) {
        this(params, batchSize, seqLength, dropout, Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1);
    }

    /** @param threads 1: both parts on the calling thread, in turn; 2: part 1 on a second thread */
    public FastNetwork(ParamSet params, int batchSize, int seqLength, double dropout, int threads) {
        this.spec = params.spec();
        this.params = params;
        this.L = spec.layers();
        this.H = spec.hiddenSize();
        this.V = spec.vocabSize();
        this.B = batchSize;
        this.T = seqLength;
        this.TB = batchSize * seqLength;
        this.isDouble = spec.precision() == Precision.DOUBLE;
        this.dropout = dropout;
        this.E = spec.embeddingSize();
        Blas.useThreads(1);
        parts = B == 1 ? new Part[] {new Part(0, 0, 1)} : new Part[] {new Part(0, 0, B / 2), new Part(1, B / 2, B)};
        layers = new FastLayer[L];
        for (int k = 0; k < L; k++) {
            layers[k] = FastLayer.of(this, k);
        }
        inputs = new int[TB];
        targets = new int[TB];
        Y = zeros(TB, V);
        P = zeros(TB, V);
        Dec = dropout > 0 ? zeros(TB, H) : null;
        decMask = dropout > 0 ? zeros(TB, H) : null;
        Why = new NativeArray(params.get("Why"));
        by = new NativeArray(params.get("by"));
        bias = new double[V];
        maskRows = new double[B * H];
        dby = new double[V];
        emb = spec.embedded() ? new NativeArray(params.get("emb")) : null;
        dX0 = spec.embedded() ? zeros(TB, E) : null;
        dxRow = new double[E];
        demb = new double[V * E];
        // last: a constructor that fails above leaves no thread behind
        worker = parts.length == 2 && threads >= 2 ? new Worker("charrnn-stacked-worker") : null;
    }

    NativeArray zeros(long rows, long cols) {
        return new NativeArray(Nd4j.zeros(spec.precision().dataType(), rows, cols));
    }

    /** Whether a second thread runs half of the streams. */
    public boolean usesTwoThreads() {
        return worker != null;
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
    }

    /** Tasks the second thread has run (0 with one thread). */
    long workerTasks() {
        return worker == null ? 0 : worker.tasksDone();
    }

    /** Whether the second thread is running (until {@link #close()}). */
    boolean workerAlive() {
        return worker != null && worker.isAlive();
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public ParamSet params() {
        return params;
    }

    @Override
    public int batchSize() {
        return B;
    }

    @Override
    public int seqLength() {
        return T;
    }

    @Override
    public void logits(int t, int s, double[] logits) {
        int base = (t * B + s) * V;
        for (int v = 0; v < V; v++) {
            logits[v] = Y.get(base + v);
        }
    }

    @Override
    public double forward(int[][] windows, StreamState state, Rng dropoutRng) {
        if (windows.length != B) {
            throw new IllegalArgumentException("expected windows of " + B + " streams, got " + windows.length);
        }
        for (int s = 0; s < B; s++) {
            if (windows[s].length != T + 1) {
                throw new IllegalArgumentException("a window must hold T+1 = " + (T + 1) + " indices");
            }
            for (int t = 0; t < T; t++) {
                inputs[t * B + s] = windows[s][t];
                targets[t * B + s] = windows[s][t + 1];
            }
        }
        dropped = dropout > 0 && dropoutRng != null;
        if (dropped) {
            // drawn in the order ReferenceNetwork draws them: layer 1's input, ..., layer L−1's, the decoder's
            for (int k = 1; k < L; k++) {
                drawMask(layers[k].mask, dropoutRng);
            }
            drawMask(decMask, dropoutRng);
        }
        for (int k = 0; k < L; k++) {
            FastLayer layer = layers[k];
            new NativeArray(state.h[k]).copyTo(0, layer.Hs, 0, B * H);
            if (layer.Cs != null) {
                new NativeArray(state.c[k]).copyTo(0, layer.Cs, 0, B * H);
            }
            layer.prepare();
            if (!layer.oneHot) {
                // the input side of the whole window: A = X Wxᵀ (b is added in the steps)
                FastLayer below = k > 0 ? layers[k - 1] : null;
                inParts(q -> {
                    if (below == null) {
                        gatherRows(q, layer.X);                                  // x_t = emb[input_t]
                    } else if (dropped) {
                        maskRows(q, below.Hs, B * H, layer.mask, layer.X);      // X = h_t ⊙ mask
                    }
                    gemmRows(q, false, true, TB, layer.GH, layer.in, layer.input(below), layer.in, layer.Wx.at(0),
                            layer.in, 0.0, layer.A, layer.GH);
                });
            }
            inParts(q -> layer.forward(layer.slices[q]));
            layer.Hs.copyTo(T * B * H, new NativeArray(state.h[k]), 0, B * H);
            if (layer.Cs != null) {
                layer.Cs.copyTo(T * B * H, new NativeArray(state.c[k]), 0, B * H);
            }
        }
        by.read(0, bias, V);
        FastLayer top = layers[L - 1];
        inParts(q -> {
            // y_t = Why h_t + by, as rows: Y = Dec Whyᵀ (+ by in the softmax loop)
            if (dropped) {
                maskRows(q, top.Hs, B * H, decMask, Dec);
            }
            gemmRows(q, false, true, TB, V, H, decoderInput(), H, Why.at(0), H, 0.0, Y, V);
            parts[q].loss = softmax(parts[q], rowFrom(TB, q), rowFrom(TB, q + 1));
        });
        double loss = 0;
        for (Part part : parts) {
            loss += part.loss;
        }
        return loss / B;
    }

    /** The decoder's input (T·B, H): the top layer's h_t, dropped out in training. */
    private Pointer decoderInput() {
        return dropped ? Dec.at(0) : layers[L - 1].Hs.at((long) B * H);
    }

    /**
     * p = softmax(y + by) of rows [from, to) (max subtracted before exp), y + by and p stored in Y and P;
     * returns Σ −ln p[target] over those rows, summed in float64 in row order.
     */
    private double softmax(Part part, int from, int to) {
        double[] y = part.y;
        double[] p = part.p;
        double loss = 0;
        for (int r0 = from; r0 < to; r0 += B) {
            int rows = Math.min(B, to - r0);
            int n = rows * V;
            Y.read(r0 * V, y, n);
            for (int r = 0; r < rows; r++) {
                int base = r * V;
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < V; v++) {
                    y[base + v] += bias[v];
                    max = Math.max(max, y[base + v]);
                }
                for (int v = 0; v < V; v++) {
                    p[base + v] = y[base + v] - max;
                }
                IeeeMath.exp(p, base, base + V);
                double sum = 0;
                for (int v = 0; v < V; v++) {
                    sum += p[base + v];
                }
                for (int v = 0; v < V; v++) {
                    p[base + v] /= sum;
                }
            }
            round(p, n);                                    // the probabilities as stored
            Y.write(r0 * V, y, n);
            P.write(r0 * V, p, n);
            for (int r = 0; r < rows; r++) {
                loss -= StrictMath.log(p[r * V + targets[r0 + r]]);
            }
        }
        return loss;
    }

    @Override
    public void backward(ParamSet grads) {
        FastLayer top = layers[L - 1];
        inParts(q -> {
            // dy_t = (p_t − onehot(target_t)) / B: the gradient of the averaged loss; then dH = dY Why
            int from = rowFrom(TB, q);
            int to = rowFrom(TB, q + 1);
            dy(parts[q], from, to);
            Blas.gemm(isDouble, false, false, to - from, H, V, P.at((long) from * V), V, Why.at(0), H, 0.0,
                    top.dH.at((long) from * H), H);
            if (dropped) {
                multiplyRows(parts[q], top.dH, decMask, from * H, to * H);
            }
        });
        Arrays.fill(dby, 0.0);
        for (Part part : parts) {
            for (int v = 0; v < V; v++) {
                dby[v] += part.dby[v];                                          // dby = Σ dy_t
            }
        }
        new NativeArray(grads.get("by")).write(0, dby, V);
        NativeArray dWhy = new NativeArray(grads.get("Why"));
        for (int k = L - 1; k >= 0; k--) {
            FastLayer layer = layers[k];
            FastLayer below = k > 0 ? layers[k - 1] : null;
            inParts(q -> {
                if (layer == top) {
                    // dWhy = dYᵀ Dec, its rows split between the parts
                    gemmRows(q, true, false, V, H, TB, P.at(0), V, decoderInput(), H, 0.0, dWhy, H);
                }
                layer.backward(layer.slices[q]);
            });
            inParts(q -> layer.weightGradients(q, grads, below));
            layer.sums(grads);
        }
        if (emb != null) {
            embeddingGradient(grads);
        }
    }

    /** Part q's rows of X := the embedding rows of their input characters, emb[input_t]. */
    private void gatherRows(int q, NativeArray X) {
        for (int r = rowFrom(TB, q); r < rowFrom(TB, q + 1); r++) {
            emb.copyTo(inputs[r] * E, X, r * E, E);
        }
    }

    /** demb[c] = Σ of dX0's rows whose input is c, added in row order (one thread: a fixed order). */
    private void embeddingGradient(ParamSet grads) {
        Arrays.fill(demb, 0.0);
        for (int r = 0; r < TB; r++) {
            dX0.read(r * E, dxRow, E);
            int at = inputs[r] * E;
            for (int j = 0; j < E; j++) {
                demb[at + j] += dxRow[j];
            }
        }
        new NativeArray(grads.get("emb")).write(0, demb, V * E);
    }

    /** Rows [from, to) of P become dy (rounded as stored); their Σ goes into the part's dby. */
    private void dy(Part part, int from, int to) {
        double inverseB = 1.0 / B;
        double[] p = part.p;
        Arrays.fill(part.dby, 0.0);
        for (int r0 = from; r0 < to; r0 += B) {
            int rows = Math.min(B, to - r0);
            int n = rows * V;
            P.read(r0 * V, p, n);
            for (int r = 0; r < rows; r++) {
                p[r * V + targets[r0 + r]] -= 1.0;
            }
            for (int i = 0; i < n; i++) {
                p[i] *= inverseB;
            }
            round(p, n);
            P.write(r0 * V, p, n);
            for (int i = 0; i < n; i++) {
                part.dby[i % V] += p[i];
            }
        }
    }

    /** Runs {@code work} for part 0 and part 1 (on the second thread when there is one) and waits for both. */
    private void inParts(IntConsumer work) {
        if (worker == null) {
            for (Part part : parts) {
                work.accept(part.index);
            }
            return;
        }
        worker.fork(() -> work.accept(1));
        try {
            work.accept(0);
        } finally {
            worker.join();
        }
    }

    /** The first of part q's share of n rows (q = parts: n). */
    int rowFrom(int n, int q) {
        return (int) ((long) n * q / parts.length);
    }

    /**
     * Part q's share of C = op(A) op(B) + beta C: C's rows [rowFrom(m, q), rowFrom(m, q + 1)), that is A's
     * rows (or, transposed, A's columns) of the same range.
     */
    void gemmRows(int q, boolean transA, boolean transB, int m, int n, int k, Pointer a, int lda,
                          Pointer b, int ldb, double beta, NativeArray c, int ldc) {
        int from = rowFrom(m, q);
        int to = rowFrom(m, q + 1);
        if (to > from) {
            long aOffset = transA ? from : (long) from * lda;
            Blas.gemm(isDouble, transA, transB, to - from, n, k, offset(a, aOffset), lda, b, ldb, beta,
                    c.at((long) from * ldc), ldc);
        }
    }

    private Pointer offset(Pointer p, long elements) {
        if (elements == 0) {
            return p;
        }
        return isDouble ? new org.bytedeco.javacpp.DoublePointer(p).position(p.position() + elements)
                : new org.bytedeco.javacpp.FloatPointer(p).position(p.position() + elements);
    }

    /** Part q's share of the rows of to := from[fromOffset ...] ⊙ mask (row length H). */
    private void maskRows(int q, NativeArray from, int fromOffset, NativeArray mask, NativeArray to) {
        int begin = rowFrom(TB, q) * H;
        int end = rowFrom(TB, q + 1) * H;
        Part part = parts[q];
        for (int i = begin; i < end; i += part.x.length) {
            int n = Math.min(part.x.length, end - i);
            from.read(fromOffset + i, part.x, n);
            mask.read(i, part.m, n);
            for (int j = 0; j < n; j++) {
                part.x[j] *= part.m[j];
            }
            to.write(i, part.x, n);
        }
    }

    /** a[from, to) ⊙= mask[from, to). */
    void multiplyRows(Part part, NativeArray a, NativeArray mask, int from, int to) {
        for (int i = from; i < to; i += part.x.length) {
            int n = Math.min(part.x.length, to - i);
            a.read(i, part.x, n);
            mask.read(i, part.m, n);
            for (int j = 0; j < n; j++) {
                part.x[j] *= part.m[j];
            }
            a.write(i, part.x, n);
        }
    }

    /** a[0, n) rounded to the model's type: what storing and reading back gives, without the memory traffic. */
    void round(double[] a, int n) {
        round(a, 0, n);
    }

    void round(double[] a, int from, int to) {
        if (!isDouble) {
            IeeeMath.roundToFloat(a, from, to);
        }
    }

    /** The next mask of the dropout stream ({@link Dropout}), a chunk of rows at a time. */
    private void drawMask(NativeArray mask, Rng rng) {
        int chunk = maskRows.length;
        for (int from = 0; from < mask.length(); from += chunk) {
            int len = Math.min(chunk, mask.length() - from);
            Dropout.draw(maskRows, len, dropout, rng);
            mask.write(from, maskRows, len);
        }
    }

    /** A contiguous range of streams [s0, s1) and the buffers of the loops that run over its rows. */
    final class Part {
        final int index;
        final int s0;
        final int n;                // streams in the part
        final double[] y = new double[B * V];   // a step's logits in float64
        final double[] p = new double[B * V];   // a step's probabilities, then dy
        final double[] dby = new double[V];
        final double[] x = new double[B * H];   // masking
        final double[] m = new double[B * H];
        double loss;

        Part(int index, int s0, int s1) {
            this.index = index;
            this.s0 = s0;
            this.n = s1 - s0;
        }
    }

}
