package charrnn.model;

import charrnn.numeric.Blas;
import charrnn.numeric.IeeeMath;
import charrnn.numeric.NativeArray;
import charrnn.numeric.VectorApi;
import charrnn.numeric.VectorMath;
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
 * dropout) are Java loops over that memory. Layer 0 never multiplies by a one-hot vector: it reads the
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
    private final ModelSpec spec;
    private final ParamSet params;
    private final int L;
    private final int H;
    private final int V;
    private final int B;
    private final int T;
    private final int TB;               // T·B rows
    private final boolean isDouble;
    private final double dropout;
    private final Layer[] layers;
    private final Part[] parts;         // the streams in two contiguous parts (one when B = 1)
    private final Worker worker;        // runs part 1 while the calling thread runs part 0; null: in turn
    private final int[] inputs;         // [T·B] vocabulary index of the input of row t·B + s
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
    private final NativeArray dX0;      // (T·B, E) with an embedding: the gradient of layer 0's input rows
    private final double[] dxRow;       // E: a row of dX0
    private final double[] demb;        // V·E: Σ of dX0's rows per input character
    private final int E;
    private boolean dropped;

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
        layers = new Layer[L];
        for (int k = 0; k < L; k++) {
            layers[k] = new Layer(k);
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

    private NativeArray zeros(long rows, long cols) {
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
            Layer layer = layers[k];
            new NativeArray(state.h[k]).copyTo(0, layer.Hs, 0, B * H);
            if (layer.Cs != null) {
                new NativeArray(state.c[k]).copyTo(0, layer.Cs, 0, B * H);
            }
            layer.prepare();
            if (!layer.oneHot) {
                // the input side of the whole window: A = X Wxᵀ (b is added in the steps)
                Layer below = k > 0 ? layers[k - 1] : null;
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
        Layer top = layers[L - 1];
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
        Layer top = layers[L - 1];
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
            Layer layer = layers[k];
            Layer below = k > 0 ? layers[k - 1] : null;
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
    private int rowFrom(int n, int q) {
        return (int) ((long) n * q / parts.length);
    }

    /**
     * Part q's share of C = op(A) op(B) + beta C: C's rows [rowFrom(m, q), rowFrom(m, q + 1)), that is A's
     * rows (or, transposed, A's columns) of the same range.
     */
    private void gemmRows(int q, boolean transA, boolean transB, int m, int n, int k, Pointer a, int lda,
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
    private void multiplyRows(Part part, NativeArray a, NativeArray mask, int from, int to) {
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
    private void round(double[] a, int n) {
        round(a, 0, n);
    }

    private void round(double[] a, int from, int to) {
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
    private final class Part {
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

    /** One layer's parameters, window buffers and its cell's equations, forward and backward. */
    private final class Layer {
        final CellType cell = spec.cell();
        final int G = cell.gates;
        final int GH;
        final int BH = B * H;
        final int BGH;
        final String name;
        final boolean oneHot;      // layer 0 without an embedding: reads the one-hot input
        final NativeArray Wx;      // (G·H, in), column-major where the spec says so (then its memory is wxT's)
        final boolean wxColumnMajor;
        final NativeArray Wh;      // (G·H, H)
        final NativeArray b;       // (1, G·H)
        final NativeArray bn;      // (1, H) gru only
        final int in;              // width of the input: H above layer 0; E in layer 0 with an embedding
        final NativeArray X;       // (T·B, in) input of layers above the first with dropout (h_t ⊙ mask), or
                                   // layer 0's embedding rows; else null
        final NativeArray mask;    // (T·B, H) dropout mask of that input, or null
        final NativeArray Hs;      // ((T+1)·B, H) block 0 = carried h, block t+1 = h_t
        final NativeArray Cs;      // ((T+1)·B, H) lstm: carried c, then c_t
        final NativeArray A;       // (T·B, G·H) input side X Wxᵀ (above layer 0), step products, then the gates
        final NativeArray U;       // (T·B, 3H) gru: Wh h_{t-1}, its n block + bn
        final NativeArray TC;      // (T·B, H) lstm: tanh(c_t)
        final NativeArray dA;      // (T·B, G·H) gradient of the input-side pre-activation
        final NativeArray dU;      // (T·B, G·H) gru: gradient of u; the others: dA itself
        final NativeArray dH;      // (T·B, H) gradient of h_t from above
        final NativeArray dhnext;  // (B, H)
        final double[] bias;       // G·H b
        final double[] biasN;      // H gru: bn
        final double[] wxT;        // layer 0: (V, G·H) Wx transposed, so an input's column is a row
        final double[] vgh;        // layer 0: (G·H, V) Wx as read, then dWx as written
        final double[] db;         // G·H: the parts' sums added
        final double[] dbn;        // H gru
        final double[] dWxT;       // layer 0: (V, G·H) the parts' sums added
        final Slice[] slices;      // per part

        Layer(int k) {
            GH = G * H;
            BGH = B * GH;
            name = "l" + k;
            oneHot = k == 0 && !spec.embedded();
            in = k == 0 ? spec.inputSize() : H;
            wxColumnMajor = spec.columnMajor(name + ".Wx");
            Wx = new NativeArray(params.get(name + ".Wx"), wxColumnMajor ? 'f' : 'c');
            Wh = new NativeArray(params.get(name + ".Wh"));
            b = new NativeArray(params.get(name + ".b"));
            bn = cell == CellType.GRU ? new NativeArray(params.get(name + ".bn")) : null;
            X = k > 0 && dropout > 0 ? zeros(TB, H) : k == 0 && spec.embedded() ? zeros(TB, in) : null;
            mask = k > 0 && dropout > 0 ? zeros(TB, H) : null;
            Hs = zeros((long) (T + 1) * B, H);
            Cs = cell == CellType.LSTM ? zeros((long) (T + 1) * B, H) : null;
            A = zeros(TB, GH);
            U = cell == CellType.GRU ? zeros(TB, GH) : null;
            TC = cell == CellType.LSTM ? zeros(TB, H) : null;
            dA = zeros(TB, GH);
            dU = cell == CellType.GRU ? zeros(TB, GH) : dA;
            dH = zeros(TB, H);
            dhnext = zeros(B, H);
            bias = new double[GH];
            biasN = new double[H];
            wxT = oneHot ? new double[V * GH] : null;
            vgh = oneHot ? new double[V * GH] : null;
            db = new double[GH];
            dbn = new double[H];
            dWxT = oneHot ? new double[V * GH] : null;
            slices = new Slice[parts.length];
            for (Part part : parts) {
                slices[part.index] = new Slice(part);
            }
        }

        /**
         * The layer's input for the whole window, (T·B, in): the layer below's h_t, dropped out in training;
         * in layer 0 (below = null) with an embedding, the embedding rows.
         */
        Pointer input(Layer below) {
            return below == null || dropped ? X.at(0) : below.Hs.at((long) BH);
        }

        /** Reads b (and bn, and layer 0's Wx transposed) into the loops' arrays, before a forward pass. */
        void prepare() {
            b.read(0, bias, GH);
            if (bn != null) {
                bn.read(0, biasN, H);
            }
            if (oneHot && wxColumnMajor) {
                Wx.read(0, wxT, V * GH);
            } else if (oneHot) {
                Wx.read(0, vgh, V * GH);
                for (int j = 0; j < GH; j++) {
                    for (int v = 0; v < V; v++) {
                        wxT[v * GH + j] = vgh[j * V + v];
                    }
                }
            }
        }

        /** The part's recurrence over the T steps. */
        void forward(Slice q) {
            for (int t = 0; t < T; t++) {
                switch (cell) {
                    case RNN -> rnnStep(q, t);
                    case LSTM -> lstmStep(q, t);
                    case GRU -> gruStep(q, t);
                }
            }
        }

        /**
         * z[·] += the input side of step t for the part's streams, Wx x_t + b: b, and in layer 0 the input's
         * column of Wx (layers above read X Wxᵀ from A, where the step's product added to it).
         */
        private void addInput(Slice q, int t, double[] z, int width) {
            for (int s = 0; s < q.n; s++) {
                int a = s * width;
                if (oneHot) {
                    int column = inputs[t * B + q.s0 + s] * GH;
                    for (int j = 0; j < width; j++) {
                        z[a + j] += wxT[column + j] + bias[j];
                    }
                } else {
                    for (int j = 0; j < width; j++) {
                        z[a + j] += bias[j];
                    }
                }
            }
        }

        /** h_t = tanh(Wx x_t + Wh h_{t-1} + b). */
        private void rnnStep(Slice q, int t) {
            int row = t * B + q.s0;
            int nH = q.n * H;
            Blas.gemm(isDouble, false, true, q.n, H, H, Hs.at((long) row * H), H, Wh.at(0), H, oneHot ? 0.0 : 1.0,
                    A.at((long) row * H), H);
            A.read(row * H, q.h, nH);
            addInput(q, t, q.h, H);
            round(q.h, nH);                                     // the pre-activation as stored
            IeeeMath.tanh(q.h, 0, nH);
            Hs.write(row * H + BH, q.h, nH);
        }

        /** i, f, o = σ(z_i, z_f, z_o), g = tanh(z_g); c_t = f ⊙ c_{t-1} + i ⊙ g; h_t = o ⊙ tanh(c_t). */
        private void lstmStep(Slice q, int t) {
            int row = t * B + q.s0;
            int nH = q.n * H;
            int nGH = q.n * GH;
            double[] z = q.z;
            Blas.gemm(isDouble, false, true, q.n, GH, H, Hs.at((long) row * H), H, Wh.at(0), H, oneHot ? 0.0 : 1.0,
                    A.at((long) row * GH), GH);
            A.read(row * GH, z, nGH);
            addInput(q, t, z, GH);
            round(z, nGH);                                      // the pre-activations as stored
            Cs.read(row * H, q.cPrev, nH);
            for (int s = 0; s < q.n; s++) {
                int a = s * GH;
                IeeeMath.sigmoid(z, a, a + 2 * H);              // i, f
                IeeeMath.tanh(z, a + 2 * H, a + 3 * H);         // g
                IeeeMath.sigmoid(z, a + 3 * H, a + 4 * H);      // o
                round(z, a, a + GH);                            // the gates as stored
                int c = s * H;
                for (int j = 0; j < H; j++) {
                    q.c[c + j] = z[a + H + j] * q.cPrev[c + j] + z[a + j] * z[a + 2 * H + j];   // f ⊙ c + i ⊙ g
                }
            }
            round(q.c, nH);
            A.write(row * GH, z, nGH);
            Cs.write(row * H + BH, q.c, nH);
            System.arraycopy(q.c, 0, q.tc, 0, nH);
            IeeeMath.tanh(q.tc, 0, nH);
            round(q.tc, nH);
            TC.write(row * H, q.tc, nH);
            for (int s = 0; s < q.n; s++) {
                int a = s * GH + 3 * H;
                int c = s * H;
                for (int j = 0; j < H; j++) {
                    q.h[c + j] = z[a + j] * q.tc[c + j];               // o ⊙ tanh(c_t)
                }
            }
            Hs.write(row * H + BH, q.h, nH);
        }

        /** r = σ(a_r + u_r), z = σ(a_z + u_z), n = tanh(a_n + r ⊙ (u_n + bn)), h_t = n + z ⊙ (h_{t-1} − n). */
        private void gruStep(Slice q, int t) {
            int row = t * B + q.s0;
            int nH = q.n * H;
            int nGH = q.n * GH;
            double[] z = q.z;
            double[] u = q.u;
            Blas.gemm(isDouble, false, true, q.n, GH, H, Hs.at((long) row * H), H, Wh.at(0), H, 0.0,
                    U.at((long) row * GH), GH);
            U.read(row * GH, u, nGH);
            if (oneHot) {
                Arrays.fill(z, 0, nGH, 0.0);
            } else {
                A.read(row * GH, z, nGH);
            }
            addInput(q, t, z, GH);                                 // a = Wx x_t + b
            Hs.read(row * H, q.hPrev, nH);
            for (int s = 0; s < q.n; s++) {
                int a = s * GH;
                for (int j = 0; j < H; j++) {
                    u[a + 2 * H + j] += biasN[j];                   // u_n + bn
                }
                for (int j = 0; j < 2 * H; j++) {
                    z[a + j] += u[a + j];                          // a_r + u_r, a_z + u_z
                }
            }
            round(u, nGH);                                         // u_n + bn as stored
            round(z, nGH);
            U.write(row * GH, u, nGH);
            for (int s = 0; s < q.n; s++) {
                int a = s * GH;
                IeeeMath.sigmoid(z, a, a + 2 * H);                  // r, z
                round(z, a, a + 2 * H);
                for (int j = 0; j < H; j++) {
                    z[a + 2 * H + j] += z[a + j] * u[a + 2 * H + j];   // a_n + r ⊙ (u_n + bn)
                }
                round(z, a + 2 * H, a + 3 * H);
                IeeeMath.tanh(z, a + 2 * H, a + 3 * H);             // n
                round(z, a + 2 * H, a + 3 * H);
            }
            A.write(row * GH, z, nGH);
            for (int s = 0; s < q.n; s++) {
                int a = s * GH;
                int c = s * H;
                for (int j = 0; j < H; j++) {
                    double n = z[a + 2 * H + j];
                    q.h[c + j] = n + z[a + H + j] * (q.hPrev[c + j] - n);
                }
            }
            Hs.write(row * H + BH, q.h, nH);
        }

        /** The part's backpropagation through the T steps (no gradient into the carried state). */
        void backward(Slice q) {
            Arrays.fill(q.dhn, 0.0);
            Arrays.fill(q.dcnext, 0.0);
            Arrays.fill(q.dbSum, 0.0);
            Arrays.fill(q.dbnSum, 0.0);
            if (q.dWxSum != null) {
                Arrays.fill(q.dWxSum, 0.0);
            }
            int nH = q.n * H;
            for (int t = T - 1; t >= 0; t--) {
                dH.read((t * B + q.s0) * H, q.dh, nH);
                for (int i = 0; i < nH; i++) {
                    q.dh[i] += q.dhn[i];                           // dh = dH_t + dhnext
                }
                switch (cell) {
                    case RNN -> rnnBack(q, t);
                    case LSTM -> lstmBack(q, t);
                    case GRU -> gruBack(q, t);
                }
            }
        }

        /**
         * Part q's share of the whole-window products of the backward pass: the rows of dWh = Σ_t du_t
         * h_{t-1}ᵀ and of dWx = Σ_t da_t x_tᵀ (unless the input is one-hot), and the rows of the gradient
         * of the input, dA Wx: below.dH (dropped out as the input was), or layer 0's dX0.
         */
        void weightGradients(int q, ParamSet grads, Layer below) {
            NativeArray dWh = new NativeArray(grads.get(name + ".Wh"));
            gemmRows(q, true, false, GH, H, TB, dU.at(0), GH, Hs.at(0), H, 0.0, dWh, H);
            if (!oneHot) {
                NativeArray dWx = new NativeArray(grads.get(name + ".Wx"));
                gemmRows(q, true, false, GH, in, TB, dA.at(0), GH, input(below), in, 0.0, dWx, in);
                int from = rowFrom(TB, q);
                int to = rowFrom(TB, q + 1);
                NativeArray dIn = below != null ? below.dH : dX0;
                Blas.gemm(isDouble, false, false, to - from, in, GH, dA.at((long) from * GH), GH, Wx.at(0), in, 0.0,
                        dIn.at((long) from * in), in);
                if (dropped && below != null) {
                    multiplyRows(parts[q], below.dH, mask, from * H, to * H);
                }
            }
        }

        /** db = Σ_t da_t, dbn = Σ_t du_n and layer 0's dWx (the sums of da_t per input character): part 0's, then part 1's. */
        void sums(ParamSet grads) {
            Arrays.fill(db, 0.0);
            Arrays.fill(dbn, 0.0);
            if (oneHot) {
                Arrays.fill(dWxT, 0.0);
            }
            for (Slice q : slices) {
                for (int j = 0; j < GH; j++) {
                    db[j] += q.dbSum[j];
                }
                for (int j = 0; j < H; j++) {
                    dbn[j] += q.dbnSum[j];
                }
                if (oneHot) {
                    for (int i = 0; i < V * GH; i++) {
                        dWxT[i] += q.dWxSum[i];
                    }
                }
            }
            new NativeArray(grads.get(name + ".b")).write(0, db, GH);
            if (cell == CellType.GRU) {
                new NativeArray(grads.get(name + ".bn")).write(0, dbn, H);
            }
            if (oneHot && wxColumnMajor) {
                new NativeArray(grads.get(name + ".Wx"), 'f').write(0, dWxT, V * GH);
            } else if (oneHot) {
                for (int j = 0; j < GH; j++) {
                    for (int v = 0; v < V; v++) {
                        vgh[j * V + v] = dWxT[v * GH + j];
                    }
                }
                new NativeArray(grads.get(name + ".Wx")).write(0, vgh, V * GH);
            }
        }

        /**
         * Step t's gradients of the pre-activations for the part's streams, (n, width), rounded to the
         * model's type, into dA, and into the part's sums for db and, in layer 0, for dWx's columns.
         */
        private void storeGradient(Slice q, int t, int width) {
            int nw = q.n * width;
            double[] dz = q.dz;
            round(dz, nw);
            dA.write((t * B + q.s0) * width, dz, nw);
            for (int s = 0; s < q.n; s++) {
                int a = s * width;
                for (int j = 0; j < width; j++) {
                    q.dbSum[j] += dz[a + j];
                }
                if (oneHot) {
                    int column = inputs[t * B + q.s0 + s] * width;
                    for (int j = 0; j < width; j++) {
                        q.dWxSum[column + j] += dz[a + j];
                    }
                }
            }
        }

        /** dhraw = (1 − h_t²) ⊙ dh; dhnext = Whᵀ dhraw. */
        private void rnnBack(Slice q, int t) {
            int row = t * B + q.s0;
            int nH = q.n * H;
            Hs.read(row * H + BH, q.h, nH);
            for (int i = 0; i < nH; i++) {
                q.dz[i] = (1 - q.h[i] * q.h[i]) * q.dh[i];
            }
            storeGradient(q, t, H);
            Blas.gemm(isDouble, false, false, q.n, H, H, dA.at((long) row * H), H, Wh.at(0), H, 0.0,
                    dhnext.at((long) q.s0 * H), H);
            dhnext.read(q.s0 * H, q.dhn, nH);
        }

        private void lstmBack(Slice q, int t) {
            int row = t * B + q.s0;
            int nH = q.n * H;
            double[] z = q.z;
            A.read(row * GH, z, q.n * GH);
            TC.read(row * H, q.tc, nH);
            Cs.read(row * H, q.cPrev, nH);
            for (int s = 0; s < q.n; s++) {
                int a = s * GH;
                int c = s * H;
                for (int j = 0; j < H; j++) {
                    double i = z[a + j];
                    double f = z[a + H + j];
                    double g = z[a + 2 * H + j];
                    double o = z[a + 3 * H + j];
                    double tanhC = q.tc[c + j];
                    double d = q.dh[c + j];
                    double dc = q.dcnext[c + j] + d * o * (1 - tanhC * tanhC);
                    q.dz[a + j] = dc * g * i * (1 - i);                  // dz_i
                    q.dz[a + H + j] = dc * q.cPrev[c + j] * f * (1 - f); // dz_f
                    q.dz[a + 2 * H + j] = dc * i * (1 - g * g);          // dz_g
                    q.dz[a + 3 * H + j] = d * tanhC * o * (1 - o);       // dz_o
                    q.dcnext[c + j] = dc * f;                            // dc_{t-1} = dc ⊙ f
                }
            }
            storeGradient(q, t, GH);
            // dh_{t-1} = Whᵀ dz, as rows dZ_t Wh
            Blas.gemm(isDouble, false, false, q.n, H, GH, dA.at((long) row * GH), GH, Wh.at(0), H, 0.0,
                    dhnext.at((long) q.s0 * H), H);
            dhnext.read(q.s0 * H, q.dhn, nH);
        }

        private void gruBack(Slice q, int t) {
            int row = t * B + q.s0;
            int nH = q.n * H;
            int nGH = q.n * GH;
            double[] z = q.z;
            double[] u = q.u;
            A.read(row * GH, z, nGH);
            U.read(row * GH, u, nGH);
            Hs.read(row * H, q.hPrev, nH);
            for (int s = 0; s < q.n; s++) {
                int a = s * GH;
                int c = s * H;
                int vectorized = VectorApi.AVAILABLE ? VectorMath.gruBack(z, u, q.hPrev, q.dh, q.dz, q.du, q.dhn, a, c, H) : 0;
                for (int j = vectorized; j < H; j++) {
                    double r = z[a + j];
                    double zz = z[a + H + j];
                    double n = z[a + 2 * H + j];
                    double d = q.dh[c + j];
                    double dan = d * (1 - zz) * (1 - n * n);                     // da_n
                    double dar = dan * u[a + 2 * H + j] * r * (1 - r);           // da_r
                    double daz = d * (q.hPrev[c + j] - n) * zz * (1 - zz);       // da_z
                    q.dz[a + j] = dar;
                    q.dz[a + H + j] = daz;
                    q.dz[a + 2 * H + j] = dan;
                    q.du[a + j] = dar;
                    q.du[a + H + j] = daz;
                    q.du[a + 2 * H + j] = dan * r;                               // du_n = da_n ⊙ r
                    q.dhn[c + j] = d * zz;                                       // dh ⊙ z, + Whᵀ du below
                }
            }
            storeGradient(q, t, GH);
            round(q.du, nGH);
            dU.write(row * GH, q.du, nGH);
            for (int s = 0; s < q.n; s++) {
                for (int j = 0; j < H; j++) {
                    q.dbnSum[j] += q.du[s * GH + 2 * H + j];
                }
            }
            dhnext.write(q.s0 * H, q.dhn, nH);
            Blas.gemm(isDouble, false, false, q.n, H, GH, dU.at((long) row * GH), GH, Wh.at(0), H, 1.0,
                    dhnext.at((long) q.s0 * H), H);
            dhnext.read(q.s0 * H, q.dhn, nH);
        }

        /** A layer's step buffers for one part's streams, in float64, (n, ·) row-major. */
        private final class Slice {
            final int s0;
            final int n;
            final double[] z;          // n·G·H gates
            final double[] u;          // n·G·H gru: u
            final double[] hPrev;      // n·H h_{t-1}
            final double[] cPrev;      // n·H lstm: c_{t-1}
            final double[] c;          // n·H lstm: c_t
            final double[] tc;         // n·H lstm: tanh(c_t)
            final double[] h;          // n·H h_t
            final double[] dh;         // n·H dH_t + dhnext
            final double[] dhn;        // n·H dhnext
            final double[] dcnext;     // n·H lstm: gradient of c_{t-1}
            final double[] dz;         // n·G·H
            final double[] du;         // n·G·H gru
            final double[] dbSum;      // G·H Σ_t da_t over the part's streams
            final double[] dbnSum;     // H gru: Σ_t du_n
            final double[] dWxSum;     // layer 0: (V, G·H) Σ da_t per input character, dWx transposed

            Slice(Part part) {
                s0 = part.s0;
                n = part.n;
                z = new double[n * GH];
                u = new double[n * GH];
                hPrev = new double[n * H];
                cPrev = new double[n * H];
                c = new double[n * H];
                tc = new double[n * H];
                h = new double[n * H];
                dh = new double[n * H];
                dhn = new double[n * H];
                dcnext = new double[n * H];
                dz = new double[n * GH];
                du = new double[n * GH];
                dbSum = new double[GH];
                dbnSum = new double[H];
                dWxSum = oneHot ? new double[V * GH] : null;
            }
        }
    }
}
