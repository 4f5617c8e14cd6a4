package charrnn.model;

import charrnn.numeric.Blas;
import charrnn.numeric.IeeeMath;
import charrnn.numeric.NativeArray;
import charrnn.numeric.RowProduct;
import charrnn.util.Rng;
import charrnn.util.Threads;
import charrnn.util.Worker;
import java.util.Arrays;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link ReferenceNetwork}'s equations at the speed the CPU allows: every product is a direct call into
 * ND4J's OpenBLAS on the arrays' memory (for the whole window where the product does not depend on the
 * previous step: input projections, decoder, weight gradients; per layer and step for the recurrence,
 * with the streams as the rows of one matrix-matrix product), and the elementwise steps (gates, softmax,
 * dropout) are Java loops over that memory. Layer 0's input side Wx x_t depends on the character alone,
 * so it is one of V rows, not T·B: with one-hot input the character's column of Wx; with an embedding,
 * the character's row of the table emb Wxᵀ (V, G·H), one product per window. Its gradient is likewise
 * summed per character first (S, (V, G·H)): one-hot, S is dWx transposed; with an embedding dWx = Sᵀ emb
 * and demb = S Wx, two V-row products where the window's rows would take T·B. Every buffer is made
 * once, with the network.
 *
 * <p>N threads: the B streams are split into P = min(N, B) contiguous parts, and thread q runs part q's
 * recurrence, forward and backward, with no synchronisation per step (a stream's steps never read another
 * stream's state). The whole-window products are cut into tiles of their result's rows, fixed by the
 * product's shape ({@link #tileCount}), and the threads share the tiles; the sums over the window (loss,
 * bias gradients, layer 0's one-hot dWx) are column sums in row order, the columns shared out.
 *
 * <p>The same bits for every N: each value is computed by one thread in an order that does not depend
 * on N. That needs more than a fixed order of operations: a BLAS gemm's float32 rows change with the
 * number of rows in the call (bench/GemmRows.java), so the per-step products, whose row count is a
 * part's, are {@link RowProduct}s (each row alone), and the whole-window products are called per tile,
 * whose shape N does not change. BLAS runs single-threaded.
 *
 * <p>σ, tanh and exp come from {@link IeeeMath}, whose results do not depend on JIT compilation, so the
 * same seed gives the same run and a resumed run continues bit for bit. Layout as in
 * {@link ReferenceNetwork}: row t·B + s of a window-sized array is step t of stream s.
 */
@SuppressWarnings({"checkstyle:LocalVariableName", "checkstyle:MemberName"})
public final class FastNetwork extends NetworkBase {
    /**
     * The fewest rows of a whole-window product's tile, and the most tiles: a tile is one BLAS call, which
     * packs its other operand again, a cost that only the tile's rows repay (bench/Roofline.java, lstm
     * H=256 on one thread: the window's products took 113 ms in tiles of at least 32 rows, 87 ms at 256).
     */
    static final int TILE_ROWS = 256;
    static final int MAX_TILES = 16;

    final int TB;               // T·B rows
    final boolean isDouble;
    final double dropout;
    final FastLayer[] layers;
    final int threads;          // N
    final Part[] parts;         // the streams in P = min(N, B) contiguous parts; thread q runs part q
    private final Worker[] workers;     // threads 1 ... N−1 (the calling thread is thread 0)
    final Scratch[] scratch;    // per thread
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
    private final double[] rowLoss;     // T·B: −ln p[target] of each row, added in row order
    private final double[] dby;         // V: Σ dy_t, column sums in row order
    private final NativeArray emb;      // (V, E) the input embedding, or null (one-hot input)
    final int E;
    boolean dropped;
    private long recurrenceNanos;       // time in sections of each kind (sectionNanos)
    private long windowNanos;

    /**
     * @param threads N, 1 to {@link Threads#MAX}: the calling thread and N − 1 workers, or fewer where the
     *                network has less work to share (at most max(B, the tiles of a T·B-row product))
     */
    public FastNetwork(ParamSet params, int batchSize, int seqLength, double dropout, int threads) {
        super(params, batchSize, seqLength);
        Threads.check(threads);
        this.TB = batchSize * seqLength;
        this.isDouble = spec.precision() == Precision.DOUBLE;
        this.dropout = dropout;
        this.E = spec.embeddingSize();
        this.threads = Math.min(threads, Math.max(batchSize, tileCount(batchSize * seqLength)));
        Blas.useThreads(1);
        int partCount = Math.min(this.threads, B);   // P
        parts = new Part[partCount];
        for (int q = 0; q < partCount; q++) {
            parts[q] = new Part(q, (int) ((long) B * q / partCount), (int) ((long) B * (q + 1) / partCount));
        }
        scratch = new Scratch[this.threads];
        for (int t = 0; t < this.threads; t++) {
            scratch[t] = new Scratch();
        }
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
        Why = new NativeArray(params.get(ModelSpec.WHY));
        by = new NativeArray(params.get(ModelSpec.BY));
        bias = new double[V];
        maskRows = new double[B * H];
        rowLoss = new double[TB];
        dby = new double[V];
        emb = spec.embedded() ? new NativeArray(params.get(ModelSpec.EMB)) : null;
        // last: a constructor that fails above leaves no thread behind
        workers = new Worker[this.threads - 1];
        for (int t = 1; t < this.threads; t++) {
            workers[t - 1] = new Worker("charrnn-worker-" + t);
        }
    }

    NativeArray zeros(long rows, long cols) {
        return new NativeArray(Nd4j.zeros(spec.precision().dataType(), rows, cols));
    }

    /** N, the threads the network runs on (the calling thread and N − 1 workers). */
    public int threads() {
        return threads;
    }

    @Override
    public void close() {
        for (Worker w : workers) {
            w.close();
        }
    }

    /** Tasks the workers have run (0 with one thread). */
    long workerTasks() {
        long done = 0;
        for (Worker w : workers) {
            done += w.tasksDone();
        }
        return done;
    }

    /** Whether every worker is running (until {@link #close()}); false with one thread. */
    boolean workerAlive() {
        boolean alive = workers.length > 0;
        for (Worker w : workers) {
            alive &= w.isAlive();
        }
        return alive;
    }

    @Override
    public void logits(int t, int s, double[] logits) {
        int base = (t * B + s) * V;
        for (int v = 0; v < V; v++) {
            logits[v] = Y.get(base + v);
        }
    }

    /**
     * {@link Network#train}, with an update that {@link GradientUpdate#inParts goes in parts} shared out over
     * the threads by elements (the same bits: each element is scaled, clipped and updated alone).
     */
    @Override
    public double train(int[][] windows, StreamState state, Rng dropoutRng, ParamSet grads, GradientUpdate update) {
        if (!update.inParts()) {
            return super.train(windows, state, dropoutRng, grads, update);
        }
        double loss = forward(windows, state, dropoutRng);
        backward(grads);
        if (!Double.isFinite(loss)) {
            update.skip(grads);
            return loss;
        }
        update.begin();
        inThreads(t -> {
            long start = scratch[t].clock.begin();
            update.applyPart(params, grads, t, threads);
            scratch[t].clock.end(PhaseClock.Phase.OPTIMIZER, start);
        });
        return loss;
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
            if (layer.byCharacter && emb != null) {
                // the input side of each character: table = emb Wxᵀ (V, G·H)
                inThreads(t -> gemmTiles(t, false, true, V, layer.GH, E, emb.at(0), E, layer.Wx.at(0), E, 0.0,
                        layer.table, layer.GH));
                layer.table.read(0, layer.wxT, V * layer.GH);
            } else if (!layer.byCharacter) {
                // the input side of the whole window: A = X Wxᵀ (b is added in the steps)
                FastLayer below = layers[k - 1];
                inThreads(t -> {
                    if (dropped) {
                        maskRows(t, below.Hs, B * H, layer.mask, layer.X);      // X = h_t ⊙ mask
                    }
                    gemmTiles(t, false, true, TB, layer.GH, layer.in, layer.input(below), layer.in, layer.Wx.at(0),
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
        inThreads(t -> {
            // y_t = Why h_t + by, as rows: Y = Dec Whyᵀ (+ by in the softmax loop)
            if (dropped) {
                maskRows(t, top.Hs, B * H, decMask, Dec);
            }
            gemmTiles(t, false, true, TB, V, H, decoderInput(), H, Why.at(0), H, 0.0, Y, V);
            long start = scratch[t].clock.begin();
            softmax(scratch[t], rowFrom(TB, t), rowFrom(TB, t + 1));
            scratch[t].clock.end(PhaseClock.Phase.SOFTMAX_LOSS, start);
        });
        double loss = 0;
        for (int r = 0; r < TB; r++) {
            loss += rowLoss[r];
        }
        return loss / B;
    }

    /** The decoder's input (T·B, H): the top layer's h_t, dropped out in training. */
    private Pointer decoderInput() {
        return dropped ? Dec.at(0) : layers[L - 1].Hs.at((long) B * H);
    }

    /**
     * p = softmax(y + by) of rows [from, to) (max subtracted before exp), y + by and p stored in Y and P;
     * each row's −ln p[target] into rowLoss.
     */
    private void softmax(Scratch part, int from, int to) {
        double[] y = part.y;
        double[] p = part.p;
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
                rowLoss[r0 + r] = -StrictMath.log(p[r * V + targets[r0 + r]]);
            }
        }
    }

    @Override
    public void backward(ParamSet grads) {
        FastLayer top = layers[L - 1];
        inThreads(t -> {
            // dy_t = (p_t − onehot(target_t)) / B: the gradient of the averaged loss; then dH = dY Why
            int from = rowFrom(TB, t);
            int to = rowFrom(TB, t + 1);
            long start = scratch[t].clock.begin();
            dy(scratch[t], from, to);
            scratch[t].clock.end(PhaseClock.Phase.SOFTMAX_LOSS, start);
            gemmTiles(t, false, false, TB, H, V, P.at(0), V, Why.at(0), H, 0.0, top.dH, H);
            if (dropped) {
                multiplyRows(scratch[t], top.dH, decMask, from * H, to * H);
            }
        });
        NativeArray dWhy = new NativeArray(grads.get(ModelSpec.WHY));
        for (int k = L - 1; k >= 0; k--) {
            FastLayer layer = layers[k];
            FastLayer below = k > 0 ? layers[k - 1] : null;
            inPartsAndThreads(t -> {
                if (layer == top) {
                    // dWhy = dYᵀ Dec; dby = Σ dy_t, column sums of dY
                    gemmTiles(t, true, false, V, H, TB, P.at(0), V, decoderInput(), H, 0.0, dWhy, H);
                    long start = scratch[t].clock.begin();
                    columnSums(P, V, columnFrom(V, t), columnFrom(V, t + 1), dby, scratch[t].row);
                    scratch[t].clock.end(PhaseClock.Phase.WINDOW_ELEMENTWISE, start);
                }
                if (t < parts.length) {
                    layer.backward(layer.slices[t]);
                }
            });
            inThreads(t -> layer.weightGradients(t, grads, below));
            layer.sums(grads);
        }
        new NativeArray(grads.get(ModelSpec.BY)).write(0, dby, V);
        if (emb != null) {
            inThreads(t -> layers[0].embeddingGradients(t, grads, emb));
        }
    }

    /** Rows [from, to) of P become dy (rounded as stored). */
    private void dy(Scratch part, int from, int to) {
        double inverseB = 1.0 / B;
        double[] p = part.p;
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
        }
    }

    /** Runs {@code work} for part q on thread q, for every part, and waits for all. */
    private void inParts(IntConsumer work) {
        long t0 = System.nanoTime();
        run(parts.length, work);
        recurrenceNanos += System.nanoTime() - t0;
    }

    /** Runs {@code work} for thread t on thread t, for t in [0, N), and waits for all. */
    void inThreads(IntConsumer work) {
        long t0 = System.nanoTime();
        run(threads, work);
        windowNanos += System.nanoTime() - t0;
    }

    /** Runs a section of both kinds: the recurrence's parts on threads [0, P) beside whole-window work. */
    private void inPartsAndThreads(IntConsumer work) {
        long t0 = System.nanoTime();
        run(threads, work);
        recurrenceNanos += System.nanoTime() - t0;
    }

    /**
     * Nanoseconds spent so far in the recurrence's sections (the parts in parallel) and in the whole-window
     * sections (tiles and columns shared out), for bench/Scaling.java's model of the time on N threads.
     */
    public long[] sectionNanos() {
        return new long[] {recurrenceNanos, windowNanos};
    }

    /** Thread 0's time by kind of work (with -Dcharrnn.profile=true; see {@link PhaseClock}). */
    public PhaseClock clock() {
        return scratch[0].clock;
    }

    private void run(int count, IntConsumer work) {
        for (int t = 1; t < count; t++) {
            int task = t;
            workers[t - 1].fork(() -> work.accept(task));
        }
        try {
            work.accept(0);
        } finally {
            long start = scratch[0].clock.begin();
            for (int t = 1; t < count; t++) {
                workers[t - 1].join();
            }
            scratch[0].clock.end(PhaseClock.Phase.WAIT, start);
        }
    }

    /**
     * The tiles of a product of m rows: at least {@link #TILE_ROWS} rows each, at most {@link #MAX_TILES},
     * a power of two, so that 2, 4, 8 or 16 threads share them evenly.
     */
    static int tileCount(int m) {
        return Integer.highestOneBit(Math.max(1, Math.min(MAX_TILES, m / TILE_ROWS)));
    }

    /**
     * The first row of tile i of m rows (i = tileCount(m): m), rounded up to a multiple of 16: OpenBLAS's
     * kernels work in blocks of rows, and ragged bounds cost (bench/Roofline.java).
     */
    static int tileRow(int m, int i) {
        return Math.min(m, ((int) ((long) m * i / tileCount(m)) + 15) / 16 * 16);
    }

    /** The first of thread t's rows of m, a whole number of tiles (t = N: m). */
    int rowFrom(int m, int t) {
        return tileRow(m, tileCount(m) * t / threads);
    }

    /** The first of thread t's columns of n (t = N: n). */
    int columnFrom(int n, int t) {
        return (int) ((long) n * t / threads);
    }

    /**
     * Thread t's tiles of C = op(A) op(B) + beta C (C m×n): one BLAS call per tile of C's rows, that is
     * A's rows (or, transposed, A's columns) of the same range.
     */
    void gemmTiles(int t, boolean transA, boolean transB, int m, int n, int k, Pointer a, int lda,
                   Pointer b, int ldb, double beta, NativeArray c, int ldc) {
        long start = scratch[t].clock.begin();
        int tiles = tileCount(m);
        for (int i = tiles * t / threads; i < tiles * (t + 1) / threads; i++) {
            int from = tileRow(m, i);
            int to = tileRow(m, i + 1);
            long aOffset = transA ? from : (long) from * lda;
            Blas.gemm(isDouble, transA, transB, to - from, n, k, offset(a, aOffset), lda, b, ldb, beta,
                    c.at((long) from * ldc), ldc);
        }
        scratch[t].clock.end(PhaseClock.Phase.WINDOW_PRODUCTS, start);
    }

    /**
     * sum[j] = Σ_r M[r, j] over the T·B rows in order, for columns [from, to) of M (T·B, width); each
     * column is one thread's, so its sum does not depend on N.
     */
    void columnSums(NativeArray m, int width, int from, int to, double[] sum, double[] row) {
        Arrays.fill(sum, from, to, 0.0);
        for (int r = 0; r < TB; r++) {
            m.read(r * width + from, row, to - from);
            for (int j = from; j < to; j++) {
                sum[j] += row[j - from];
            }
        }
    }

    private Pointer offset(Pointer p, long elements) {
        if (elements == 0) {
            return p;
        }
        return isDouble ? new org.bytedeco.javacpp.DoublePointer(p).position(p.position() + elements)
                : new org.bytedeco.javacpp.FloatPointer(p).position(p.position() + elements);
    }

    /** Thread t's rows of to := from[fromOffset ...] ⊙ mask (row length H). */
    private void maskRows(int t, NativeArray from, int fromOffset, NativeArray mask, NativeArray to) {
        long start = scratch[t].clock.begin();
        int begin = rowFrom(TB, t) * H;
        int end = rowFrom(TB, t + 1) * H;
        Scratch part = scratch[t];
        for (int i = begin; i < end; i += part.x.length) {
            int n = Math.min(part.x.length, end - i);
            from.read(fromOffset + i, part.x, n);
            mask.read(i, part.m, n);
            for (int j = 0; j < n; j++) {
                part.x[j] *= part.m[j];
            }
            to.write(i, part.x, n);
        }
        part.clock.end(PhaseClock.Phase.WINDOW_ELEMENTWISE, start);
    }

    /** a[from, to) ⊙= mask[from, to). */
    void multiplyRows(Scratch part, NativeArray a, NativeArray mask, int from, int to) {
        long start = part.clock.begin();
        for (int i = from; i < to; i += part.x.length) {
            int n = Math.min(part.x.length, to - i);
            a.read(i, part.x, n);
            mask.read(i, part.m, n);
            for (int j = 0; j < n; j++) {
                part.x[j] *= part.m[j];
            }
            a.write(i, part.x, n);
        }
        part.clock.end(PhaseClock.Phase.WINDOW_ELEMENTWISE, start);
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

    /** A contiguous range of streams [s0, s1). */
    static final class Part {
        final int index;
        final int s0;
        final int n;                // streams in the part

        Part(int index, int s0, int s1) {
            this.index = index;
            this.s0 = s0;
            this.n = s1 - s0;
        }
    }

    /** A thread's buffers for the loops over its rows. */
    final class Scratch {
        final double[] y = new double[B * V];   // a step's logits in float64
        final double[] p = new double[B * V];   // a step's probabilities, then dy
        final double[] x = new double[B * H];   // masking
        final double[] m = new double[B * H];
        final double[] row = new double[Math.max(V, spec.cell().gates * H)];   // a row of a column sum
        final PhaseClock clock = new PhaseClock();
    }

}
