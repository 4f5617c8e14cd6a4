package charrnn.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link StackedNetwork}'s equations at the speed the CPU allows: every product is a direct call into
 * ND4J's OpenBLAS on the arrays' memory (one per window for the input projections, the decoder and the
 * weight gradients; one per layer and step for the recurrence, with the B streams as the rows of one
 * matrix-matrix product), and the elementwise steps (gates, softmax, dropout) are Java loops over that
 * memory. Layer 0 never multiplies by a one-hot vector: it reads the input's column of Wx, and its
 * gradient adds into that column. Nothing is allocated per window.
 *
 * <p>σ, tanh and exp come from {@link IeeeMath}, whose results do not depend on JIT compilation, so the
 * same seed gives the same run and a resumed run continues bit for bit. Layout as in
 * {@link StackedNetwork}: row t·B + s of a window-sized array is step t of stream s.
 */
@SuppressWarnings({"checkstyle:LocalVariableName", "checkstyle:MemberName"})
public final class FastStackedNetwork implements BatchNetwork {
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
    private final int[] inputs;         // [T·B] vocabulary index of the input of row t·B + s
    private final int[] targets;        // [T·B] and of its target
    private final NativeArray Y;        // (T·B, V) logits
    private final NativeArray P;        // (T·B, V) probabilities, then dy
    private final NativeArray Dec;      // (T·B, H) decoder input: the top layer's h_t, dropped out in training
    private final NativeArray decMask;  // (T·B, H) or null
    private final NativeArray Why;      // (V, H)
    private final NativeArray by;       // (1, V)
    private final double[] row;         // V: one row of logits in float64
    private boolean dropped;

    public FastStackedNetwork(ParamSet params, int batchSize, int seqLength, double dropout) {
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
        Blas.useThreads(Integer.getInteger("charrnn.blasThreads", Runtime.getRuntime().availableProcessors()));
        layers = new Layer[L];
        for (int k = 0; k < L; k++) {
            layers[k] = new Layer(k);
        }
        inputs = new int[TB];
        targets = new int[TB];
        Y = zeros(TB, V);
        P = zeros(TB, V);
        Dec = zeros(TB, H);
        decMask = dropout > 0 ? zeros(TB, H) : null;
        Why = new NativeArray(params.get("Why"));
        by = new NativeArray(params.get("by"));
        row = new double[V];
    }

    private NativeArray zeros(long rows, long cols) {
        return new NativeArray(Nd4j.zeros(spec.precision().dataType(), rows, cols));
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
        for (int k = 0; k < L; k++) {
            Layer layer = layers[k];
            if (k > 0) {
                // input: the layer below's h_t, dropped out in training
                copyRows(layers[k - 1].Hs, B, layer.X, 0, TB * H);
                if (dropped) {
                    drawMask(layer.mask, dropoutRng);
                    multiply(layer.X, layer.mask, TB * H);
                }
            }
            layer.forward(state, k);
        }
        copyRows(layers[L - 1].Hs, B, Dec, 0, TB * H);
        if (dropped) {
            drawMask(decMask, dropoutRng);
            multiply(Dec, decMask, TB * H);
        }

        // y_t = Why h_t + by, as rows: Y = Dec Whyᵀ + by
        Blas.gemm(isDouble, false, true, TB, V, H, Dec.at(0), H, Why.at(0), H, 0.0, Y.at(0), V);
        // p_t = softmax(y_t) (max subtracted before exp); loss = Σ −ln p_t[target_t], summed in float64
        double loss = 0;
        for (int r = 0; r < TB; r++) {
            int base = r * V;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < V; v++) {
                double y = Y.get(base + v) + by.get(v);
                Y.put(base + v, y);
                row[v] = y;
                max = Math.max(max, y);
            }
            double sum = 0;
            for (int v = 0; v < V; v++) {
                row[v] = IeeeMath.exp(row[v] - max);
                sum += row[v];
            }
            for (int v = 0; v < V; v++) {
                P.put(base + v, row[v] / sum);
            }
            loss -= StrictMath.log(P.get(base + targets[r]));
        }
        return loss / B;
    }

    @Override
    public void backward(ParamSet grads) {
        // dy_t = (p_t − onehot(target_t)) / B: the gradient of the averaged loss
        double inverseB = 1.0 / B;
        for (int r = 0; r < TB; r++) {
            P.add(r * V + targets[r], -1.0);
        }
        scale(P, TB * V, inverseB);
        NativeArray dWhy = new NativeArray(grads.get("Why"));
        Blas.gemm(isDouble, true, false, V, H, TB, P.at(0), V, Dec.at(0), H, 0.0, dWhy.at(0), H);   // dYᵀ Dec
        columnSums(P, TB, V, new NativeArray(grads.get("by")));                                   // dby = Σ dy_t
        Layer top = layers[L - 1];
        Blas.gemm(isDouble, false, false, TB, H, V, P.at(0), V, Why.at(0), H, 0.0, top.dH.at(0), H);  // dY Why
        if (dropped) {
            multiply(top.dH, decMask, TB * H);
        }
        for (int k = L - 1; k >= 0; k--) {
            layers[k].backward(grads, k > 0 ? layers[k - 1] : null);
        }
    }

    /** to[0, n) := from's rows from row {@code fromRow} on (row length H), i.e. from[fromRow·H ...]. */
    private void copyRows(NativeArray from, int fromRow, NativeArray to, int toOffset, int n) {
        from.copyTo(fromRow * H, to, toOffset, n);
    }

    private static void multiply(NativeArray a, NativeArray mask, int n) {
        for (int i = 0; i < n; i++) {
            a.put(i, a.get(i) * mask.get(i));
        }
    }

    private static void scale(NativeArray a, int n, double factor) {
        for (int i = 0; i < n; i++) {
            a.put(i, a.get(i) * factor);
        }
    }

    /** out[c] = Σ_r m[r][c] for the (rows, cols) row-major m, summed in row order in float64. */
    private static void columnSums(NativeArray m, int rows, int cols, NativeArray out) {
        double[] sums = new double[cols];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                sums[c] += m.get(base + c);
            }
        }
        for (int c = 0; c < cols; c++) {
            out.put(c, sums[c]);
        }
    }

    /** Inverted dropout: each entry 0 with probability P, else 1/(1−P), drawn as {@link StackedNetwork} does. */
    private void drawMask(NativeArray mask, Rng rng) {
        double keep = 1.0 / (1.0 - dropout);
        for (int i = 0; i < mask.length(); i++) {
            mask.put(i, rng.nextDouble() < dropout ? 0.0 : keep);
        }
    }

    /** One layer's parameters, window buffers and its cell's equations, forward and backward. */
    private final class Layer {
        final CellType cell = spec.cell();
        final int G = cell.gates;
        final int GH;
        final int in;
        final INDArray gWx;        // the parameters as ND4J arrays, to find their gradients by name
        final String name;
        final NativeArray Wx;      // (G·H, in)
        final NativeArray Wh;      // (G·H, H)
        final NativeArray b;       // (1, G·H)
        final NativeArray bn;      // (1, H) gru only
        final NativeArray X;       // (T·B, in) input of layers above the first
        final NativeArray mask;    // (T·B, H) dropout mask of that input, or null
        final NativeArray Hs;      // ((T+1)·B, H) block 0 = carried h, block t+1 = h_t
        final NativeArray Cs;      // ((T+1)·B, H) lstm: carried c, then c_t
        final NativeArray A;       // (T·B, G·H) pre-activations, then the gates (rnn: pre-activation only)
        final NativeArray U;       // (T·B, 3H) gru: Wh h_{t-1}, its n block + bn
        final NativeArray TC;      // (T·B, H) lstm: tanh(c_t)
        final NativeArray dA;      // (T·B, G·H) gradient of the input-side pre-activation
        final NativeArray dU;      // (T·B, G·H) gru: gradient of u; the others: dA itself
        final NativeArray dH;      // (T·B, H) gradient of h_t from above
        final NativeArray dhnext;  // (B, H)
        final double[] dcnext;     // B·H lstm: gradient of c_{t-1}

        Layer(int k) {
            GH = G * H;
            in = k == 0 ? V : H;
            name = "l" + k;
            gWx = params.get(name + ".Wx");
            Wx = new NativeArray(gWx);
            Wh = new NativeArray(params.get(name + ".Wh"));
            b = new NativeArray(params.get(name + ".b"));
            bn = cell == CellType.GRU ? new NativeArray(params.get(name + ".bn")) : null;
            X = k == 0 ? null : zeros(TB, H);
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
            dcnext = new double[B * H];
        }

        void forward(StreamState state, int k) {
            load(state.h[k], Hs);
            if (Cs != null) {
                load(state.c[k], Cs);
            }
            // input side for the whole window: Wx x_t + b, as rows X Wxᵀ + b
            if (X == null) {
                for (int r = 0; r < TB; r++) {   // Wx x for a one-hot x: the input's column of Wx
                    int ix = inputs[r];
                    int base = r * GH;
                    for (int j = 0; j < GH; j++) {
                        A.put(base + j, Wx.get(j * V + ix) + b.get(j));
                    }
                }
            } else {
                Blas.gemm(isDouble, false, true, TB, GH, H, X.at(0), H, Wx.at(0), H, 0.0, A.at(0), GH);
                for (int r = 0; r < TB; r++) {
                    int base = r * GH;
                    for (int j = 0; j < GH; j++) {
                        A.add(base + j, b.get(j));
                    }
                }
            }
            for (int t = 0; t < T; t++) {
                switch (cell) {
                    case RNN -> rnnStep(t);
                    case LSTM -> lstmStep(t);
                    case GRU -> gruStep(t);
                }
            }
            store(Hs, state.h[k]);
            if (Cs != null) {
                store(Cs, state.c[k]);
            }
        }

        /** h_t = tanh(Wx x_t + Wh h_{t-1} + b). */
        private void rnnStep(int t) {
            Blas.gemm(isDouble, false, true, B, H, H, Hs.at((long) t * B * H), H, Wh.at(0), H, 1.0,
                    A.at((long) t * B * H), H);
            int a0 = t * B * H;
            int h0 = (t + 1) * B * H;
            for (int i = 0; i < B * H; i++) {
                Hs.put(h0 + i, IeeeMath.tanh(A.get(a0 + i)));
            }
        }

        /** i, f, o = σ(z_i, z_f, z_o), g = tanh(z_g); c_t = f ⊙ c_{t-1} + i ⊙ g; h_t = o ⊙ tanh(c_t). */
        private void lstmStep(int t) {
            Blas.gemm(isDouble, false, true, B, GH, H, Hs.at((long) t * B * H), H, Wh.at(0), H, 1.0,
                    A.at((long) t * B * GH), GH);
            for (int s = 0; s < B; s++) {
                int a = (t * B + s) * GH;
                int prev = (t * B + s) * H;       // c_{t-1}, in block t of Cs
                int cur = ((t + 1) * B + s) * H;  // c_t and h_t, in block t+1
                int tc = (t * B + s) * H;
                for (int j = 0; j < H; j++) {
                    double i = IeeeMath.sigmoid(A.get(a + j));
                    double f = IeeeMath.sigmoid(A.get(a + H + j));
                    double g = IeeeMath.tanh(A.get(a + 2 * H + j));
                    double o = IeeeMath.sigmoid(A.get(a + 3 * H + j));
                    A.put(a + j, i);
                    A.put(a + H + j, f);
                    A.put(a + 2 * H + j, g);
                    A.put(a + 3 * H + j, o);
                    Cs.put(cur + j, f * Cs.get(prev + j) + i * g);
                    double tanhC = IeeeMath.tanh(Cs.get(cur + j));
                    TC.put(tc + j, tanhC);
                    Hs.put(cur + j, o * tanhC);
                }
            }
        }

        /** r = σ(a_r + u_r), z = σ(a_z + u_z), n = tanh(a_n + r ⊙ (u_n + bn)), h_t = n + z ⊙ (h_{t-1} − n). */
        private void gruStep(int t) {
            Blas.gemm(isDouble, false, true, B, GH, H, Hs.at((long) t * B * H), H, Wh.at(0), H, 0.0,
                    U.at((long) t * B * GH), GH);
            for (int s = 0; s < B; s++) {
                int a = (t * B + s) * GH;
                int prev = (t * B + s) * H;
                int cur = ((t + 1) * B + s) * H;
                for (int j = 0; j < H; j++) {
                    double un = U.get(a + 2 * H + j) + bn.get(j);
                    U.put(a + 2 * H + j, un);
                    double r = IeeeMath.sigmoid(A.get(a + j) + U.get(a + j));
                    double z = IeeeMath.sigmoid(A.get(a + H + j) + U.get(a + H + j));
                    double n = IeeeMath.tanh(A.get(a + 2 * H + j) + r * un);
                    A.put(a + j, r);
                    A.put(a + H + j, z);
                    A.put(a + 2 * H + j, n);
                    Hs.put(cur + j, n + z * (Hs.get(prev + j) - n));
                }
            }
        }

        /**
         * Backpropagation through the T steps (no gradient into the carried state), then the weight
         * gradients as whole-window products; the gradient of the input goes into {@code below.dH}.
         */
        void backward(ParamSet grads, Layer below) {
            dhnext.zero();
            java.util.Arrays.fill(dcnext, 0.0);
            for (int t = T - 1; t >= 0; t--) {
                switch (cell) {
                    case RNN -> rnnBack(t);
                    case LSTM -> lstmBack(t);
                    case GRU -> gruBack(t);
                }
            }
            NativeArray dWh = new NativeArray(grads.get(name + ".Wh"));
            NativeArray dWx = new NativeArray(grads.get(name + ".Wx"));
            // dWh = Σ_t du_t h_{t-1}ᵀ: (G·H, T·B) (T·B, H)
            Blas.gemm(isDouble, true, false, GH, H, TB, dU.at(0), GH, Hs.at(0), H, 0.0, dWh.at(0), H);
            if (X == null) {
                // dWx = Σ_t da_t x_tᵀ: da_t added into the input's column
                dWx.zero();
                for (int r = 0; r < TB; r++) {
                    int ix = inputs[r];
                    int base = r * GH;
                    for (int j = 0; j < GH; j++) {
                        dWx.add(j * V + ix, dA.get(base + j));
                    }
                }
            } else {
                Blas.gemm(isDouble, true, false, GH, H, TB, dA.at(0), GH, X.at(0), H, 0.0, dWx.at(0), H);
            }
            columnSums(dA, TB, GH, new NativeArray(grads.get(name + ".b")));   // db = Σ_t da_t
            if (cell == CellType.GRU) {
                NativeArray dbn = new NativeArray(grads.get(name + ".bn"));
                double[] sums = new double[H];
                for (int r = 0; r < TB; r++) {
                    for (int j = 0; j < H; j++) {
                        sums[j] += dU.get(r * GH + 2 * H + j);
                    }
                }
                for (int j = 0; j < H; j++) {
                    dbn.put(j, sums[j]);
                }
            }
            if (below != null) {
                // the gradient of the input: Wxᵀ da_t, as rows dA Wx
                Blas.gemm(isDouble, false, false, TB, H, GH, dA.at(0), GH, Wx.at(0), H, 0.0, below.dH.at(0), H);
                if (mask != null && dropped) {
                    multiply(below.dH, mask, TB * H);
                }
            }
        }

        /** dhraw = (1 − h_t²) ⊙ (dH_t + dhnext); dhnext = Whᵀ dhraw. */
        private void rnnBack(int t) {
            int d0 = t * B * H;
            int h0 = (t + 1) * B * H;
            for (int i = 0; i < B * H; i++) {
                double h = Hs.get(h0 + i);
                dA.put(d0 + i, (1 - h * h) * (dH.get(d0 + i) + dhnext.get(i)));
            }
            Blas.gemm(isDouble, false, false, B, H, H, dA.at(d0), H, Wh.at(0), H, 0.0, dhnext.at(0), H);
        }

        private void lstmBack(int t) {
            for (int s = 0; s < B; s++) {
                int a = (t * B + s) * GH;
                int prev = (t * B + s) * H;
                int row = (t * B + s) * H;
                for (int j = 0; j < H; j++) {
                    double i = A.get(a + j);
                    double f = A.get(a + H + j);
                    double g = A.get(a + 2 * H + j);
                    double o = A.get(a + 3 * H + j);
                    double tanhC = TC.get(row + j);
                    double dh = dH.get(row + j) + dhnext.get(s * H + j);
                    int q = s * H + j;
                    double dc = dcnext[q] + dh * o * (1 - tanhC * tanhC);
                    dA.put(a + j, dc * g * i * (1 - i));                      // dz_i
                    dA.put(a + H + j, dc * Cs.get(prev + j) * f * (1 - f));   // dz_f
                    dA.put(a + 2 * H + j, dc * i * (1 - g * g));              // dz_g
                    dA.put(a + 3 * H + j, dh * tanhC * o * (1 - o));          // dz_o
                    dcnext[q] = dc * f;                                       // dc_{t-1} = dc ⊙ f
                }
            }
            // dh_{t-1} = Whᵀ dz, as rows dZ_t Wh
            Blas.gemm(isDouble, false, false, B, H, GH, dA.at((long) t * B * GH), GH, Wh.at(0), H, 0.0,
                    dhnext.at(0), H);
        }

        private void gruBack(int t) {
            for (int s = 0; s < B; s++) {
                int a = (t * B + s) * GH;
                int prev = (t * B + s) * H;
                int row = (t * B + s) * H;
                for (int j = 0; j < H; j++) {
                    double r = A.get(a + j);
                    double z = A.get(a + H + j);
                    double n = A.get(a + 2 * H + j);
                    double un = U.get(a + 2 * H + j);
                    double dh = dH.get(row + j) + dhnext.get(s * H + j);
                    double dan = dh * (1 - z) * (1 - n * n);                  // da_n
                    double dar = dan * un * r * (1 - r);                      // da_r
                    double daz = dh * (Hs.get(prev + j) - n) * z * (1 - z);   // da_z
                    dA.put(a + j, dar);
                    dA.put(a + H + j, daz);
                    dA.put(a + 2 * H + j, dan);
                    dU.put(a + j, dar);
                    dU.put(a + H + j, daz);
                    dU.put(a + 2 * H + j, dan * r);                           // du_n = da_n ⊙ r
                    dhnext.put(s * H + j, dh * z);                            // dh ⊙ z, + Whᵀ du below
                }
            }
            Blas.gemm(isDouble, false, false, B, H, GH, dU.at((long) t * B * GH), GH, Wh.at(0), H, 1.0,
                    dhnext.at(0), H);
        }

        /** Block 0 of {@code blocks} := the carried (B, H) state. */
        private void load(INDArray state, NativeArray blocks) {
            new NativeArray(state).copyTo(0, blocks, 0, B * H);
        }

        /** The carried (B, H) state := block T of {@code blocks}. */
        private void store(NativeArray blocks, INDArray state) {
            blocks.copyTo(T * B * H, new NativeArray(state), 0, B * H);
        }
    }
}
