package charrnn.model;

import charrnn.numeric.Blas;
import charrnn.numeric.FusedAdagrad;
import charrnn.numeric.IeeeMath;
import charrnn.numeric.NativeArray;
import charrnn.numeric.VectorApi;
import charrnn.numeric.VectorMath;
import charrnn.util.Profile;
import charrnn.util.Threads;
import charrnn.util.Worker;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The vanilla kernel: min-char-rnn's configuration (one rnn layer reading one-hot characters, one stream)
 * on the CPU at the speed the machine allows, under the network seam as {@link VanillaNetwork}: the products are direct calls into ND4J's
 * OpenBLAS on the arrays' memory (one call per window where the equations allow, one gemv per step for
 * the recurrence), and the small elementwise steps around them are Java loops over that memory. Nothing
 * is allocated per window and nothing crosses into native code per element.
 *
 * <p>exp and tanh come from {@link IeeeMath} (vectorized by {@link VectorMath}), whose results do not
 * depend on JIT compilation, so the same seed gives the same run and a resumed run continues bit for bit.
 * From H = 256 on, each step of the recurrence and the update are shared with a second thread.
 */
@SuppressWarnings({"checkstyle:LocalVariableName", "checkstyle:MemberName"})
public final class VanillaKernel implements AutoCloseable {
    /**
     * From this hidden size on, each step of the recurrence is split between two threads (rows of the
     * gemv and of the tanh): below it the hand-over costs more than half a step saves.
     */
    static final int SPLIT_HIDDEN_SIZE = Integer.getInteger("charrnn.splitHiddenSize", 256);
    /** Rows of dWhh made and applied at a time when both threads share the update: 3 × 128 KB at H = 512. */
    static final int UPDATE_BLOCK_ROWS = 32;
    /** From this many parameters on, clip + Adagrad is split between two threads. */
    static final int SPLIT_PARAMETERS = 1 << 16;

    // indices into the kernel's lists of parameters, gradients and Adagrad memories
    private static final int WXH = 0;
    private static final int WHH = 1;
    private static final int WHY = 2;
    private static final int BH = 3;
    private static final int BY = 4;

    private static final boolean VECTORIZED = VectorApi.AVAILABLE;

    private final List<INDArray> paramArrays;   // Wxh, Whh, Why, bh, by
    private final int T;
    private final int H;
    private final int V;
    private final boolean isDouble;

    private final NativeArray Wxh;     // (H, V) column-major: column ix at [ix·H, ix·H + H)
    private final NativeArray Whh;     // (H, H)
    private final NativeArray Why;     // (V, H)
    private final NativeArray bh;      // (H, 1)
    private final NativeArray by;      // (V, 1)

    private final NativeArray Hs;      // (T+1, H) row 0 = hprevᵀ, row t+1 = h_tᵀ
    private final NativeArray P;       // (T, V) logits, then probabilities, then dy
    private final NativeArray dH;      // (T, H) Whyᵀ dy_t, then + Whhᵀ dhraw_{t+1} (dhnext, folded in)
    private final NativeArray dHraw;   // (T, H) gradient before tanh
    private final NativeArray stepPre; // (H, 1) sampling: Whh h
    private final NativeArray stepY;   // (V, 1) sampling: Why h
    private final double[] rowScratch; // V: one row of logits on its way to probabilities
    private final boolean[] columnSeen; // V: which columns of Wxh a window's inputs select
    private final Pointer[] hRow;      // row t of Hs
    private final Pointer[] dHRow;
    private final Pointer[] dHrawRow;

    // two-thread recurrence, for large H: the worker takes rows [half, H) of Whh in every step, forward
    // and backward, and of its update, so that each core keeps working on the same half of Whh
    private final boolean split;
    private final int half;
    private final Pointer whhLowerRows;   // Whh rows [half, H)
    private final Pointer[] hRowUpper;    // row t of Hs from column half
    private final Pointer[] dHrawRowUpper; // row t of dHraw from column half
    // backward: each thread's share of dhnext = Whhᵀ dhraw_t, from its rows of Whh; two of each, used
    // by turns (step t writes those of parity t while reading those of step t+1)
    private final NativeArray[] dhnextLower = new NativeArray[2];   // (H, 1) Whh[0, half)ᵀ dhraw_t[0, half)
    private final NativeArray[] dhnextUpper = new NativeArray[2];   // (H, 1) Whh[half, H)ᵀ dhraw_t[half, H)
    private int stepT;                    // the step the worker's task is for
    private final Runnable forwardUpper;
    private final Runnable backwardUpper;

    // wrappers of the caller's arrays, made again only when the caller passes other arrays
    private INDArray hprevArray;
    private NativeArray hprev;
    private INDArray gradsKey;             // dWxh of the gradients wrapped
    private int[] lastWindow;              // the window of the last forward pass
    private NativeArray dWxh;
    private NativeArray dbh;
    private NativeArray dby;
    private NativeArray dWhy;
    private NativeArray dWhh;
    private INDArray memoryKey;            // mWxh of the Adagrad memories wrapped
    private List<NativeArray[]> updateTriples;
    private INDArray stepHArray;
    private NativeArray stepH;
    private Worker worker;
    private double updateClip;
    private double updateRate;
    private final Runnable updateSecondHalves = () -> updateHalves(true);
    private final Runnable updateHiddenUpper;
    private final Pointer[] dHrawColumn;   // split: column r of dHraw, at each row block's start r
    private Pointer[] dWhhRow;             // split: row r of dWhh, likewise (made with the gradients)
    private final long parameterCount;
    private final int threads;

    /**
     * The kernel on the parameters Wxh (H, V) column-major, Whh (H, H), Why (V, H), bh and by (vectors of H
     * and V in either shape), in that order, for windows of {@code seqLength} characters.
     */
    public VanillaKernel(List<INDArray> arrays, int seqLength) {
        this(arrays, seqLength, Threads.available());
    }

    /**
     * @param threads 1: the split of a step or update (from H = 256, or 65,536 parameters) runs both halves
     *                on the calling thread, in the same arithmetic, so that the bits do not depend on it;
     *                2 or more: on two threads
     */
    public VanillaKernel(List<INDArray> arrays, int seqLength, int threads) {
        this.threads = Threads.check(threads);
        Blas.useThreads(Integer.getInteger("charrnn.blasThreads", 1));
        this.paramArrays = List.copyOf(arrays);
        this.T = seqLength;
        this.H = (int) arrays.get(WXH).rows();
        this.V = (int) arrays.get(WXH).columns();
        var dtype = arrays.get(WXH).dataType();
        this.isDouble = dtype == org.nd4j.linalg.api.buffer.DataType.DOUBLE;
        Wxh = new NativeArray(arrays.get(WXH), 'f');
        Whh = new NativeArray(arrays.get(WHH));
        Why = new NativeArray(arrays.get(WHY));
        bh = new NativeArray(arrays.get(BH));
        by = new NativeArray(arrays.get(BY));
        Hs = new NativeArray(Nd4j.zeros(dtype, T + 1, H));
        P = new NativeArray(Nd4j.zeros(dtype, T, V));
        dH = new NativeArray(Nd4j.zeros(dtype, T, H));
        dHraw = new NativeArray(Nd4j.zeros(dtype, T, H));
        stepPre = new NativeArray(Nd4j.zeros(dtype, H, 1));
        stepY = new NativeArray(Nd4j.zeros(dtype, V, 1));
        rowScratch = new double[V];
        columnSeen = new boolean[V];
        hRow = new Pointer[T + 1];
        dHRow = new Pointer[T];
        dHrawRow = new Pointer[T];
        for (int t = 0; t <= T; t++) {
            hRow[t] = Hs.at((long) t * H);
        }
        for (int t = 0; t < T; t++) {
            dHRow[t] = dH.at((long) t * H);
            dHrawRow[t] = dHraw.at((long) t * H);
        }
        parameterCount = arrays.stream().mapToLong(INDArray::length).sum();
        split = H >= SPLIT_HIDDEN_SIZE;
        half = H / 2;
        whhLowerRows = Whh.at((long) half * H);
        hRowUpper = new Pointer[T + 1];
        dHrawRowUpper = new Pointer[T];
        for (int t = 0; t <= T; t++) {
            hRowUpper[t] = Hs.at((long) t * H + half);
        }
        for (int t = 0; t < T; t++) {
            dHrawRowUpper[t] = dHraw.at((long) t * H + half);
        }
        dHrawColumn = new Pointer[H];
        if (split) {
            for (int r : blockStarts()) {
                dHrawColumn[r] = dHraw.at(r);
            }
            for (int i = 0; i < 2; i++) {
                dhnextLower[i] = new NativeArray(Nd4j.zeros(dtype, H, 1));
                dhnextUpper[i] = new NativeArray(Nd4j.zeros(dtype, H, 1));
            }
        }
        forwardUpper = () -> forwardRows(stepT, half, H, whhLowerRows, hRowUpper[stepT + 1]);
        backwardUpper = () -> backwardRows(stepT, half, H, whhLowerRows, dHrawRowUpper[stepT], dhnextUpper);
        updateHiddenUpper = () -> {
            updateHidden(half, H, true);
            updateRows(WHY, V / 2, V);
        };
    }

    /** From H = 256 on (or 65,536 parameters), its worker thread takes half of each step or update. */
    public boolean usesBothCores() {
        return threads >= 2 && (split || parameterCount >= SPLIT_PARAMETERS);
    }

    public int seqLength() {
        return T;
    }

    /**
     * The forward pass over {@code window} from {@code hprevIn}, which becomes h_{T-1}; the activations
     * stay for {@link #backwardWindow}.
     *
     * @return the window's loss, Σ_t −ln p_t[target_t]
     */
    public double forwardWindow(int[] window, INDArray hprevIn) {
        requireWindow(window);
        wrapHprev(hprevIn);
        double loss = forward(window);
        copyLastHidden();
        lastWindow = window;
        return loss;
    }

    /** Every gradient of the last {@link #forwardWindow}'s loss into {@code grads} (dWxh … dby), not clipped. */
    public void backwardWindow(List<INDArray> grads) {
        wrapGradients(grads);
        backwardBesidesDWhh(lastWindow);
        allOfDWhh();
        Profile.charge(Profile.Phase.WINDOW_PRODUCTS);
    }

    /**
     * dWhh = Σ_t dhraw_t h_{t-1}ᵀ, in the blocks of rows that {@link #train} makes it in (OpenBLAS's
     * result for a block can differ in the last bit from its result for the whole matrix).
     */
    private void allOfDWhh() {
        if (split) {
            updateHidden(0, half, false);
            updateHidden(half, H, false);
        } else {
            dWhhRows(0, H);
        }
    }

    /** dWhh rows [r0, r1) = Σ_t dhraw_t[r0, r1) h_{t-1}ᵀ. */
    private void dWhhRows(int r0, int r1) {
        Pointer dhraw = r0 == 0 ? dHraw.at(0) : dHrawColumn[r0];
        Pointer rows = r0 == 0 ? dWhh.at(0) : dWhhRow[r0];
        Blas.gemm(isDouble, true, false, r1 - r0, H, T, dhraw, H, hRow[0], H, 0.0, rows, H);
    }

    /** Every gradient except dWhh, which {@link #train} makes in blocks beside its update. */
    private void backwardBesidesDWhh(int[] window) {
        // backward
        Blas.gemm(isDouble, true, false, V, H, T, P.at(0), V, hRow[1], H, 0.0, dWhy.at(0), H);   // Σ dy_t h_tᵀ
        Profile.charge(Profile.Phase.WINDOW_PRODUCTS);
        sumRows(P, V, dby);                                                                     // Σ dy_t
        Profile.charge(Profile.Phase.SUMS_AND_SCATTER);
        Blas.gemm(isDouble, false, false, T, H, V, P.at(0), V, Why.at(0), H, 0.0, dH.at(0), H); // Whyᵀ dy_t
        Profile.charge(Profile.Phase.WINDOW_PRODUCTS);
        for (int t = T - 1; t >= 0; t--) {
            if (split) {
                stepT = t;
                worker().fork(backwardUpper);
                backwardRows(t, 0, half, Whh.at(0), dHrawRow[t], dhnextLower);
                worker.join();
            } else {
                tanhGrad(t, 0, H);
                if (t > 0) {
                    backwardColumns(t, 0, H, Whh.at(0), dHRow[t - 1]);
                }
            }
        }
        Profile.charge(Profile.Phase.BACKWARD_RECURRENCE);
        sumRows(dHraw, H, dbh);                                                                 // Σ dhraw_t
        dWxh.zero();
        for (int t = 0; t < T; t++) {
            addInto(dWxh, window[t] * H, dHraw, t * H, dWxh, window[t] * H);                   // Σ dhraw_t x_tᵀ
        }
        Profile.charge(Profile.Phase.SUMS_AND_SCATTER);
    }

    /**
     * One training iteration: {@link #forwardWindow}, {@link #backwardWindow}, then, when the loss is finite,
     * clip + Adagrad ({@link FusedAdagrad}) with two shortcuts that give the same bits. Of Wxh,
     * only the columns that the window's inputs select (at most T of V) are updated: elsewhere the
     * gradient is zero, and the update would add −0.0 to the parameter and 0.0 to the memory. And from
     * H = 256 on, each thread makes half of dWhh's rows in blocks that stay in its cache (Whh, dWhh and
     * mWhh are 2 MB each at H = 512, twice a core's L2) and updates each block of Whh right after it.
     */
    public double train(int[] window, INDArray hprevIn, List<INDArray> grads, List<INDArray> memories, double learningRate,
                 double clip) {
        double loss = forwardWindow(window, hprevIn);
        if (!split && parameterCount >= SPLIT_PARAMETERS) {
            backwardWindow(grads);
            if (Double.isFinite(loss)) {
                clipAndUpdate(grads, memories, learningRate, clip);
            }
            return loss;
        }
        wrapGradients(grads);
        backwardBesidesDWhh(window);
        if (!Double.isFinite(loss)) {   // no update: the trainer stops
            allOfDWhh();
            return loss;
        }
        prepareUpdate(memories, learningRate, clip);
        if (split) {
            worker().fork(updateHiddenUpper);
            updateHidden(0, half, true);
            updateRows(WHY, 0, V / 2);
        } else {
            dWhhRows(0, H);
            Profile.charge(Profile.Phase.WINDOW_PRODUCTS);
            update(WHH);
            update(WHY);
        }
        update(BH);
        update(BY);
        NativeArray[] wxh = updateTriples.get(WXH);
        boolean[] seen = columnSeen;
        java.util.Arrays.fill(seen, false);
        for (int t = 0; t < T; t++) {
            int ix = window[t];
            if (!seen[ix]) {
                seen[ix] = true;
                update(wxh[0], wxh[1], wxh[2], ix * H, ix * H + H, updateClip, updateRate);   // column ix
            }
        }
        if (split) {
            worker.join();
        }
        Profile.charge(Profile.Phase.CLIP_ADAGRAD);
        return loss;
    }

    /** The first rows of the blocks {@link #updateHidden} takes: from 0 and from half, every UPDATE_BLOCK_ROWS. */
    private int[] blockStarts() {
        return java.util.stream.IntStream.concat(
                java.util.stream.IntStream.iterate(0, r -> r < half, r -> r + UPDATE_BLOCK_ROWS),
                java.util.stream.IntStream.iterate(half, r -> r < H, r -> r + UPDATE_BLOCK_ROWS)).toArray();
    }

    /** Rows [r0, r1) of dWhh, a block of rows at a time, each followed by its rows of Whh's update. */
    private void updateHidden(int r0, int r1, boolean andUpdate) {
        for (int b = r0; b < r1; b += UPDATE_BLOCK_ROWS) {
            int e = Math.min(r1, b + UPDATE_BLOCK_ROWS);
            dWhhRows(b, e);
            if (andUpdate) {
                updateRows(WHH, b, e);
            }
        }
    }

    /** Clip + Adagrad on rows [r0, r1) of parameter {@code i}, a C-order matrix. */
    private void updateRows(int i, int r0, int r1) {
        NativeArray[] triple = updateTriples.get(i);
        int cols = (int) triple[0].array.columns();
        update(triple[0], triple[1], triple[2], r0 * cols, r1 * cols, updateClip, updateRate);
    }

    private void requireWindow(int[] window) {
        if (window.length != T + 1) {
            throw new IllegalArgumentException("window must hold T+1 = " + (T + 1) + " indices");
        }
    }

    /** hprev = h_{T-1}, the last row of Hs: the next window starts from it. */
    private void copyLastHidden() {
        int last = T * H;
        for (int j = 0; j < H; j++) {
            hprev.put(j, Hs.get(last + j));
        }
    }

    /** out[o + j] = a[ia + j] + b[ib + j] for j in [0, H); out may be a. */
    private void addInto(NativeArray a, int ia, NativeArray b, int ib, NativeArray out, int o) {
        if (isDouble && VECTORIZED) {
            VectorMath.add(a.bytes(), ia, b.bytes(), ib, out.bytes(), o, H);
            return;
        }
        for (int j = 0; j < H; j++) {
            out.put(o + j, a.get(ia + j) + b.get(ib + j));
        }
    }

    /** out[c] = Σ_t m[t][c] over the T rows of a (T, cols) array. */
    private void sumRows(NativeArray m, int cols, NativeArray out) {
        if (isDouble && VECTORIZED) {
            VectorMath.sumRows(m.bytes(), T, cols, out.bytes());
            return;
        }
        for (int c = 0; c < cols; c++) {
            double sum = 0;
            for (int t = 0; t < T; t++) {
                sum += m.get(t * cols + c);
            }
            out.put(c, sum);
        }
    }

    /** The forward pass from hprev: hidden states, probabilities (then dy, in P) and the loss. */
    private double forward(int[] window) {
        Profile.charge(Profile.Phase.OTHER);
        // forward: h_t = tanh(Wxh x_t + Whh h_{t-1} + bh); row 0 of Hs is hprev
        for (int j = 0; j < H; j++) {
            Hs.put(j, hprev.get(j));
        }
        for (int t = 0; t < T; t++) {
            addInto(Wxh, window[t] * H, bh, 0, Hs, (t + 1) * H);      // Wxh x_t is column x_t of Wxh
        }
        Profile.charge(Profile.Phase.SUMS_AND_SCATTER);
        for (int t = 0; t < T; t++) {
            if (split) {
                stepT = t;
                worker().fork(forwardUpper);
                forwardRows(t, 0, half, Whh.at(0), hRow[t + 1]);
                worker.join();
            } else {
                forwardRows(t, 0, H, Whh.at(0), hRow[t + 1]);
            }
        }
        Profile.charge(Profile.Phase.FORWARD_RECURRENCE);
        // y_t = Why h_t + by for every t at once, as rows: Y = H Whyᵀ
        Blas.gemm(isDouble, false, true, T, V, H, hRow[1], H, Why.at(0), H, 0.0, P.at(0), V);
        Profile.charge(Profile.Phase.WINDOW_PRODUCTS);
        double loss = 0;
        for (int t = 0; t < T; t++) {
            int row = t * V;
            int target = row + window[t + 1];
            double prob = softmax(row, target);                        // p_t = softmax(y_t)
            loss -= StrictMath.log(prob);
            P.put(target, prob - 1.0);                                 // dy_t = p_t − onehot(target_t)
        }

        Profile.charge(Profile.Phase.SOFTMAX_LOSS);
        return loss;
    }

    /**
     * Row {@code row} of P: logits y − by in, softmax(y) out, the maximum subtracted before exp.
     *
     * @return the probability at index {@code target} of P, before float32 rounds it
     */
    private double softmax(int row, int target) {
        if (isDouble && VECTORIZED) {
            VectorMath.softmax(P.bytes(), row, by.bytes(), rowScratch, V);
            return P.get(target);
        }
        double[] y = rowScratch;
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < V; v++) {
            y[v] = P.get(row + v) + by.get(v);
            max = Math.max(max, y[v]);
        }
        for (int v = 0; v < V; v++) {
            y[v] = IeeeMath.exp(y[v] - max);
        }
        double sum = 0;
        for (int v = 0; v < V; v++) {
            sum += y[v];
        }
        for (int v = 0; v < V; v++) {
            P.put(row + v, y[v] / sum);
        }
        return y[target - row] / sum;
    }

    /** Rows [r0, r1) of step t: h_t += Whh h_{t-1} (a, y point at row r0), then tanh. */
    private void forwardRows(int t, int r0, int r1, Pointer a, Pointer y) {
        Blas.gemv(isDouble, false, r1 - r0, H, a, H, hRow[t], 1.0, y);
        int row = (t + 1) * H;
        if (isDouble && VECTORIZED) {
            VectorMath.tanh(Hs.bytes(), row + r0, row + r1);
            return;
        }
        for (int j = r0; j < r1; j++) {
            Hs.put(row + j, IeeeMath.tanh(Hs.get(row + j)));
        }
    }

    /** Entries [j0, j1) of step t: dhraw = (1 − h_t²) ⊙ dh, backprop through tanh. */
    private void tanhGrad(int t, int j0, int j1) {
        int row = t * H;
        int hrow = (t + 1) * H;
        if (isDouble && VECTORIZED) {
            VectorMath.tanhGrad(Hs.bytes(), hrow + j0, dH.bytes(), dHraw.bytes(), row + j0, j1 - j0);
            return;
        }
        for (int j = j0; j < j1; j++) {
            double h = Hs.get(hrow + j);
            dHraw.put(row + j, (1 - h * h) * dH.get(row + j));
        }
    }

    /**
     * Entries [c0, c1) of dhnext = Whhᵀ dhraw_t, added straight into step t−1's dh (a points at column
     * c0 of Whh, y at entry c0 of dh_{t−1}).
     */
    private void backwardColumns(int t, int c0, int c1, Pointer a, Pointer y) {
        Blas.gemv(isDouble, true, H, c1 - c0, a, H, dHrawRow[t], 1.0, y);
    }

    /**
     * One thread's share of backward step t, on rows [r0, r1) of Whh (a points at row r0, x at entry r0 of
     * dhraw_t): dh_t[r0, r1) += the two shares of dhnext from step t+1 (the lower rows' first, on both
     * threads), dhraw_t[r0, r1) = (1 − h_t²) ⊙ dh_t, then this thread's share of step t's dhnext,
     * Whh[r0, r1)ᵀ dhraw_t[r0, r1), into {@code share}[t % 2].
     */
    private void backwardRows(int t, int r0, int r1, Pointer a, Pointer x, NativeArray[] share) {
        if (t < T - 1) {
            NativeArray lower = dhnextLower[(t + 1) % 2];
            NativeArray upper = dhnextUpper[(t + 1) % 2];
            int row = t * H;
            for (int j = r0; j < r1; j++) {
                dH.put(row + j, dH.get(row + j) + lower.get(j) + upper.get(j));
            }
        }
        tanhGrad(t, r0, r1);
        if (t > 0) {
            Blas.gemv(isDouble, true, r1 - r0, H, a, H, x, 0.0, share[t % 2].at(0));
        }
    }

    /** Clip + Adagrad on every parameter, from the gradients dWxh … dby and the memories mWxh … mby. */
    public void clipAndUpdate(List<INDArray> grads, List<INDArray> memories, double learningRate, double clip) {
        wrapGradients(grads);
        prepareUpdate(memories, learningRate, clip);
        Profile.charge(Profile.Phase.OTHER);
        if (parameterCount >= SPLIT_PARAMETERS) {
            // both cores: the worker takes the second half of every array
            worker().fork(updateSecondHalves);
            updateHalves(false);
            worker.join();
        } else {
            for (int i = 0; i < updateTriples.size(); i++) {
                update(i);
            }
        }
        Profile.charge(Profile.Phase.CLIP_ADAGRAD);
    }

    /** Wraps parameter, gradient (wrapped last) and Adagrad memory of each parameter for {@link #update(int)}. */
    private void prepareUpdate(List<INDArray> ms, double learningRate, double clip) {
        if (ms.get(WXH) != memoryKey) {
            memoryKey = ms.get(WXH);
            List<INDArray> ps = paramArrays;
            List<INDArray> ds = List.of(dWxh.array, dWhh.array, dWhy.array, dbh.array, dby.array);
            updateTriples = new java.util.ArrayList<>();
            for (int i = 0; i < ps.size(); i++) {
                char order = i == WXH ? 'f' : 'c';
                updateTriples.add(new NativeArray[] {new NativeArray(ps.get(i), order),
                    new NativeArray(ds.get(i), order), new NativeArray(ms.get(i), order)});
            }
        }
        updateClip = clip;
        updateRate = learningRate;
    }

    /** Clip + Adagrad on all of parameter {@code i} ({@link #WXH} … {@link #BY}). */
    private void update(int i) {
        NativeArray[] triple = updateTriples.get(i);
        update(triple[0], triple[1], triple[2], 0, triple[0].length(), updateClip, updateRate);
    }

    private void updateHalves(boolean second) {
        for (NativeArray[] triple : updateTriples) {
            int n = triple[0].length();
            int mid = n / 2;
            update(triple[0], triple[1], triple[2], second ? mid : 0, second ? n : mid, updateClip, updateRate);
        }
    }

    /** Elements [from, to) of one parameter: clip, then Adagrad. */
    private void update(NativeArray param, NativeArray d, NativeArray mem, int from, int to, double clip, double lr) {
        FusedAdagrad.update(isDouble, param.bytes(), d.bytes(), mem.bytes(), from, to, clip, lr);
    }

    /** Whether the worker thread has been started, i.e. a step or update was split between two threads. */
    boolean workerStarted() {
        return worker != null;
    }

    /** Whether the worker thread is running (until {@link #close()}). */
    boolean workerAlive() {
        return worker != null && worker.isAlive();
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
    }

    private Worker worker() {
        if (worker == null) {
            worker = threads >= 2 ? new Worker("charrnn-engine-worker") : Worker.onCallingThread();
        }
        return worker;
    }

    /** Logits of step t of the last forward pass: y_t = Why h_t + by (length V). */
    public void logits(int t, double[] logits) {
        Blas.gemv(isDouble, false, V, H, Why.at(0), H, hRow[t + 1], 0.0, stepY.at(0));
        for (int v = 0; v < V; v++) {
            logits[v] = stepY.get(v) + by.get(v);
        }
    }

    /**
     * One step for sampling: {@code h = tanh(Wxh x + Whh h + bh)} in place, where x is the one-hot of
     * {@code input}, then {@code logits = Why h + by}.
     *
     * @param h      (1, H) or (H, 1) hidden state, updated in place
     * @param logits length V, overwritten
     */
    public void step(int input, INDArray h, double[] logits) {
        if (h != stepHArray) {
            stepHArray = h;
            stepH = new NativeArray(h);
        }
        // h = tanh(Wxh x + bh + Whh h), summed in the order of the training forward pass
        addInto(Wxh, input * H, bh, 0, stepPre, 0);
        Blas.gemv(isDouble, false, H, H, Whh.at(0), H, stepH.at(0), 1.0, stepPre.at(0));
        if (isDouble && VECTORIZED) {
            VectorMath.tanh(stepPre.bytes(), 0, H);
            stepH.bytes().put(0, stepPre.bytes(), 0, H * Double.BYTES);   // h = the new h
        } else {
            for (int j = 0; j < H; j++) {
                stepH.put(j, IeeeMath.tanh(stepPre.get(j)));
            }
        }
        // y = Why h + by
        Blas.gemv(isDouble, false, V, H, Why.at(0), H, stepH.at(0), 0.0, stepY.at(0));
        if (isDouble && VECTORIZED) {
            VectorMath.add(stepY.bytes(), 0, by.bytes(), 0, logits, V);
            return;
        }
        for (int v = 0; v < V; v++) {
            logits[v] = stepY.get(v) + by.get(v);
        }
    }

    private void wrapHprev(INDArray array) {
        if (array != hprevArray) {
            hprevArray = array;
            hprev = new NativeArray(array);
        }
    }

    private void wrapGradients(List<INDArray> grads) {
        if (grads.get(WXH) != gradsKey) {
            gradsKey = grads.get(WXH);
            dWxh = new NativeArray(grads.get(WXH), 'f');
            dWhh = new NativeArray(grads.get(WHH));
            dWhhRow = new Pointer[H];
            if (split) {
                for (int r : blockStarts()) {
                    dWhhRow[r] = dWhh.at((long) r * H);
                }
            }
            dWhy = new NativeArray(grads.get(WHY));
            dbh = new NativeArray(grads.get(BH));
            dby = new NativeArray(grads.get(BY));
            memoryKey = null;
        }
    }
}
