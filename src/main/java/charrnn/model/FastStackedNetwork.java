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
    private final double[] bias;        // V: by
    private final double[] y;           // B·V: one step's logits in float64
    private final double[] p;           // B·V: one step's probabilities, then dy
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
        bias = new double[V];
        y = new double[B * V];
        p = new double[B * V];
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
        by.read(0, bias, V);
        // p_t = softmax(y_t) (max subtracted before exp); loss = Σ −ln p_t[target_t], summed in float64;
        // a step (B rows) at a time, so that the Java heap holds no window-sized array
        double loss = 0;
        int bv = B * V;
        for (int t = 0; t < T; t++) {
            Y.read(t * bv, y, bv);
            for (int s = 0; s < B; s++) {
                int base = s * V;
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
            round(p, bv);                                   // the probabilities as stored
            Y.write(t * bv, y, bv);
            P.write(t * bv, p, bv);
            for (int s = 0; s < B; s++) {
                loss -= StrictMath.log(p[s * V + targets[t * B + s]]);
            }
        }
        return loss / B;
    }

    @Override
    public void backward(ParamSet grads) {
        // dy_t = (p_t − onehot(target_t)) / B: the gradient of the averaged loss
        double inverseB = 1.0 / B;
        int bv = B * V;
        double[] dby = work(0, V);                                                  // dby = Σ dy_t
        java.util.Arrays.fill(dby, 0, V, 0.0);
        for (int t = 0; t < T; t++) {
            P.read(t * bv, p, bv);
            for (int s = 0; s < B; s++) {
                p[s * V + targets[t * B + s]] -= 1.0;
            }
            for (int i = 0; i < bv; i++) {
                p[i] *= inverseB;
            }
            round(p, bv);
            P.write(t * bv, p, bv);
            for (int i = 0; i < bv; i++) {
                dby[i % V] += p[i];
            }
        }
        new NativeArray(grads.get("by")).write(0, dby, V);
        NativeArray dWhy = new NativeArray(grads.get("Why"));
        Blas.gemm(isDouble, true, false, V, H, TB, P.at(0), V, Dec.at(0), H, 0.0, dWhy.at(0), H);   // dYᵀ Dec
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

    /** a ⊙= mask over n elements, a step's rows (B·H) at a time. */
    private void multiply(NativeArray a, NativeArray mask, int n) {
        int chunk = B * H;
        double[] x = work(0, chunk);
        double[] m = work(1, chunk);
        for (int from = 0; from < n; from += chunk) {
            int len = Math.min(chunk, n - from);
            a.read(from, x, len);
            mask.read(from, m, len);
            for (int i = 0; i < len; i++) {
                x[i] *= m[i];
            }
            a.write(from, x, len);
        }
    }

    /** a[0, n) rounded to the model's type: what storing and reading back gives, without the memory traffic. */
    private void round(double[] a, int n) {
        round(a, 0, n);
    }

    private void round(double[] a, int from, int to) {
        if (!isDouble) {
            for (int i = from; i < to; i++) {
                a[i] = (float) a[i];
            }
        }
    }

    private final double[][] scratch = new double[2][0];

    /** Scratch array {@code which} of at least n doubles, shared by the loops of the network. */
    private double[] work(int which, int n) {
        if (scratch[which].length < n) {
            scratch[which] = new double[n];
        }
        return scratch[which];
    }

    /** Inverted dropout: each entry 0 with probability P, else 1/(1−P), drawn as {@link StackedNetwork} does. */
    private void drawMask(NativeArray mask, Rng rng) {
        double keep = 1.0 / (1.0 - dropout);
        int chunk = B * H;
        double[] m = work(0, chunk);
        for (int from = 0; from < mask.length(); from += chunk) {
            int len = Math.min(chunk, mask.length() - from);
            for (int i = 0; i < len; i++) {
                m[i] = rng.nextDouble() < dropout ? 0.0 : keep;
            }
            mask.write(from, m, len);
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
        final NativeArray Wx;      // (G·H, in)
        final NativeArray Wh;      // (G·H, H)
        final NativeArray b;       // (1, G·H)
        final NativeArray bn;      // (1, H) gru only
        final NativeArray X;       // (T·B, H) input of layers above the first; null for layer 0
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
        // one step's values in float64, (B, ·) row-major
        final double[] z;          // B·G·H gates
        final double[] u;          // B·G·H gru: u
        final double[] hPrev;      // B·H h_{t-1}
        final double[] cPrev;      // B·H lstm: c_{t-1}
        final double[] c;          // B·H lstm: c_t
        final double[] tc;         // B·H lstm: tanh(c_t)
        final double[] h;          // B·H h_t
        final double[] dh;         // B·H dH_t + dhnext
        final double[] dhn;        // B·H dhnext
        final double[] dcnext;     // B·H lstm: gradient of c_{t-1}
        final double[] dz;         // B·G·H
        final double[] du;         // B·G·H gru
        final double[] bias;       // G·H b
        final double[] biasN;      // H gru: bn
        final double[] wxT;        // layer 0: (V, G·H) Wx transposed, so an input's column is a row
        final double[] dWxSum;     // layer 0: (V, G·H) Σ da_t per input character, dWx transposed
        final double[] dbSum;      // G·H Σ_t da_t
        final double[] dbnSum;     // H gru: Σ_t du_n

        Layer(int k) {
            GH = G * H;
            BGH = B * GH;
            name = "l" + k;
            Wx = new NativeArray(params.get(name + ".Wx"));
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
            z = new double[BGH];
            u = new double[BGH];
            hPrev = new double[BH];
            cPrev = new double[BH];
            c = new double[BH];
            tc = new double[BH];
            h = new double[BH];
            dh = new double[BH];
            dhn = new double[BH];
            dcnext = new double[BH];
            dz = new double[BGH];
            du = new double[BGH];
            bias = new double[GH];
            biasN = new double[H];
            wxT = k == 0 ? new double[V * GH] : null;
            dWxSum = k == 0 ? new double[V * GH] : null;
            dbSum = new double[GH];
            dbnSum = new double[H];
        }

        void forward(StreamState state, int k) {
            new NativeArray(state.h[k]).copyTo(0, Hs, 0, BH);
            if (Cs != null) {
                new NativeArray(state.c[k]).copyTo(0, Cs, 0, BH);
            }
            b.read(0, bias, GH);
            if (bn != null) {
                bn.read(0, biasN, H);
            }
            // input side for the whole window: Wx x_t + b, as rows X Wxᵀ + b
            if (X == null) {
                // Wx x for a one-hot x is the input's column of Wx: a row of Wxᵀ
                double[] wx = work(0, V * GH);
                Wx.read(0, wx, V * GH);
                for (int j = 0; j < GH; j++) {
                    for (int v = 0; v < V; v++) {
                        wxT[v * GH + j] = wx[j * V + v];
                    }
                }
                for (int t = 0; t < T; t++) {
                    for (int s = 0; s < B; s++) {
                        int ix = inputs[t * B + s];
                        for (int j = 0; j < GH; j++) {
                            z[s * GH + j] = wxT[ix * GH + j] + bias[j];
                        }
                    }
                    A.write(t * BGH, z, BGH);
                }
            } else {
                Blas.gemm(isDouble, false, true, TB, GH, H, X.at(0), H, Wx.at(0), H, 0.0, A.at(0), GH);
                for (int t = 0; t < T; t++) {
                    A.read(t * BGH, z, BGH);
                    for (int s = 0; s < B; s++) {
                        for (int j = 0; j < GH; j++) {
                            z[s * GH + j] += bias[j];
                        }
                    }
                    A.write(t * BGH, z, BGH);
                }
            }
            for (int t = 0; t < T; t++) {
                switch (cell) {
                    case RNN -> rnnStep(t);
                    case LSTM -> lstmStep(t);
                    case GRU -> gruStep(t);
                }
            }
            Hs.copyTo(T * BH, new NativeArray(state.h[k]), 0, BH);
            if (Cs != null) {
                Cs.copyTo(T * BH, new NativeArray(state.c[k]), 0, BH);
            }
        }

        /** h_t = tanh(Wx x_t + Wh h_{t-1} + b). */
        private void rnnStep(int t) {
            Blas.gemm(isDouble, false, true, B, H, H, Hs.at((long) t * BH), H, Wh.at(0), H, 1.0, A.at((long) t * BH), H);
            A.read(t * BH, h, BH);
            IeeeMath.tanh(h, 0, BH);
            Hs.write((t + 1) * BH, h, BH);
        }

        /** i, f, o = σ(z_i, z_f, z_o), g = tanh(z_g); c_t = f ⊙ c_{t-1} + i ⊙ g; h_t = o ⊙ tanh(c_t). */
        private void lstmStep(int t) {
            Blas.gemm(isDouble, false, true, B, GH, H, Hs.at((long) t * BH), H, Wh.at(0), H, 1.0,
                    A.at((long) t * BGH), GH);
            A.read(t * BGH, z, BGH);
            Cs.read(t * BH, cPrev, BH);
            for (int s = 0; s < B; s++) {
                int a = s * GH;
                IeeeMath.sigmoid(z, a, a + 2 * H);              // i, f
                IeeeMath.tanh(z, a + 2 * H, a + 3 * H);         // g
                IeeeMath.sigmoid(z, a + 3 * H, a + 4 * H);      // o
                round(z, a, a + GH);                            // the gates as stored
                int q = s * H;
                for (int j = 0; j < H; j++) {
                    c[q + j] = z[a + H + j] * cPrev[q + j] + z[a + j] * z[a + 2 * H + j];   // f ⊙ c + i ⊙ g
                }
            }
            round(c, BH);
            A.write(t * BGH, z, BGH);
            Cs.write((t + 1) * BH, c, BH);
            System.arraycopy(c, 0, tc, 0, BH);
            IeeeMath.tanh(tc, 0, BH);
            round(tc, BH);
            TC.write(t * BH, tc, BH);
            for (int s = 0; s < B; s++) {
                int a = s * GH + 3 * H;
                int q = s * H;
                for (int j = 0; j < H; j++) {
                    h[q + j] = z[a + j] * tc[q + j];                 // o ⊙ tanh(c_t)
                }
            }
            Hs.write((t + 1) * BH, h, BH);
        }

        /** r = σ(a_r + u_r), z = σ(a_z + u_z), n = tanh(a_n + r ⊙ (u_n + bn)), h_t = n + z ⊙ (h_{t-1} − n). */
        private void gruStep(int t) {
            Blas.gemm(isDouble, false, true, B, GH, H, Hs.at((long) t * BH), H, Wh.at(0), H, 0.0,
                    U.at((long) t * BGH), GH);
            U.read(t * BGH, u, BGH);
            A.read(t * BGH, z, BGH);
            Hs.read(t * BH, hPrev, BH);
            for (int s = 0; s < B; s++) {
                int a = s * GH;
                for (int j = 0; j < H; j++) {
                    u[a + 2 * H + j] += biasN[j];                   // u_n + bn
                }
                for (int j = 0; j < 2 * H; j++) {
                    z[a + j] += u[a + j];                          // a_r + u_r, a_z + u_z
                }
            }
            round(u, BGH);                                         // u_n + bn as stored
            round(z, BGH);
            U.write(t * BGH, u, BGH);
            for (int s = 0; s < B; s++) {
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
            A.write(t * BGH, z, BGH);
            for (int s = 0; s < B; s++) {
                int a = s * GH;
                int q = s * H;
                for (int j = 0; j < H; j++) {
                    double n = z[a + 2 * H + j];
                    h[q + j] = n + z[a + H + j] * (hPrev[q + j] - n);
                }
            }
            Hs.write((t + 1) * BH, h, BH);
        }

        /**
         * Backpropagation through the T steps (no gradient into the carried state), then the weight
         * gradients as whole-window products; the gradient of the input goes into {@code below.dH}.
         */
        void backward(ParamSet grads, Layer below) {
            java.util.Arrays.fill(dhn, 0.0);
            java.util.Arrays.fill(dcnext, 0.0);
            java.util.Arrays.fill(dbSum, 0.0);
            java.util.Arrays.fill(dbnSum, 0.0);
            if (dWxSum != null) {
                java.util.Arrays.fill(dWxSum, 0.0);
            }
            for (int t = T - 1; t >= 0; t--) {
                dH.read(t * BH, dh, BH);
                for (int i = 0; i < BH; i++) {
                    dh[i] += dhn[i];                               // dh = dH_t + dhnext
                }
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
                // dWx = Σ_t da_t x_tᵀ: the sums of da_t per input character, one column each
                double[] out = work(0, V * GH);
                for (int j = 0; j < GH; j++) {
                    for (int v = 0; v < V; v++) {
                        out[j * V + v] = dWxSum[v * GH + j];
                    }
                }
                dWx.write(0, out, V * GH);
            } else {
                Blas.gemm(isDouble, true, false, GH, H, TB, dA.at(0), GH, X.at(0), H, 0.0, dWx.at(0), H);
            }
            new NativeArray(grads.get(name + ".b")).write(0, dbSum, GH);          // db = Σ_t da_t
            if (cell == CellType.GRU) {
                new NativeArray(grads.get(name + ".bn")).write(0, dbnSum, H);     // dbn = Σ_t du_n
            }
            if (below != null) {
                // the gradient of the input: Wxᵀ da_t, as rows dA Wx
                Blas.gemm(isDouble, false, false, TB, H, GH, dA.at(0), GH, Wx.at(0), H, 0.0, below.dH.at(0), H);
                if (mask != null && dropped) {
                    multiply(below.dH, mask, TB * H);
                }
            }
        }

        /**
         * Step t's gradients of the pre-activations (B, G·H), rounded to the model's type, into dA, and
         * into the sums for db and, in layer 0, for dWx's columns.
         */
        private void storeGradient(int t, int width) {
            round(dz, B * width);
            dA.write(t * B * width, dz, B * width);
            for (int s = 0; s < B; s++) {
                int a = s * width;
                for (int j = 0; j < width; j++) {
                    dbSum[j] += dz[a + j];
                }
                if (dWxSum != null) {
                    int column = inputs[t * B + s] * width;
                    for (int j = 0; j < width; j++) {
                        dWxSum[column + j] += dz[a + j];
                    }
                }
            }
        }

        /** dhraw = (1 − h_t²) ⊙ dh; dhnext = Whᵀ dhraw. */
        private void rnnBack(int t) {
            Hs.read((t + 1) * BH, h, BH);
            for (int i = 0; i < BH; i++) {
                dz[i] = (1 - h[i] * h[i]) * dh[i];
            }
            storeGradient(t, H);
            Blas.gemm(isDouble, false, false, B, H, H, dA.at((long) t * BH), H, Wh.at(0), H, 0.0, dhnext.at(0), H);
            dhnext.read(0, dhn, BH);
        }

        private void lstmBack(int t) {
            A.read(t * BGH, z, BGH);
            TC.read(t * BH, tc, BH);
            Cs.read(t * BH, cPrev, BH);
            for (int s = 0; s < B; s++) {
                int a = s * GH;
                int q = s * H;
                for (int j = 0; j < H; j++) {
                    double i = z[a + j];
                    double f = z[a + H + j];
                    double g = z[a + 2 * H + j];
                    double o = z[a + 3 * H + j];
                    double tanhC = tc[q + j];
                    double d = dh[q + j];
                    double dc = dcnext[q + j] + d * o * (1 - tanhC * tanhC);
                    dz[a + j] = dc * g * i * (1 - i);                    // dz_i
                    dz[a + H + j] = dc * cPrev[q + j] * f * (1 - f);     // dz_f
                    dz[a + 2 * H + j] = dc * i * (1 - g * g);            // dz_g
                    dz[a + 3 * H + j] = d * tanhC * o * (1 - o);         // dz_o
                    dcnext[q + j] = dc * f;                              // dc_{t-1} = dc ⊙ f
                }
            }
            storeGradient(t, GH);
            // dh_{t-1} = Whᵀ dz, as rows dZ_t Wh
            Blas.gemm(isDouble, false, false, B, H, GH, dA.at((long) t * BGH), GH, Wh.at(0), H, 0.0,
                    dhnext.at(0), H);
            dhnext.read(0, dhn, BH);
        }

        private void gruBack(int t) {
            A.read(t * BGH, z, BGH);
            U.read(t * BGH, u, BGH);
            Hs.read(t * BH, hPrev, BH);
            for (int s = 0; s < B; s++) {
                int a = s * GH;
                int q = s * H;
                for (int j = 0; j < H; j++) {
                    double r = z[a + j];
                    double zz = z[a + H + j];
                    double n = z[a + 2 * H + j];
                    double d = dh[q + j];
                    double dan = d * (1 - zz) * (1 - n * n);                     // da_n
                    double dar = dan * u[a + 2 * H + j] * r * (1 - r);           // da_r
                    double daz = d * (hPrev[q + j] - n) * zz * (1 - zz);         // da_z
                    dz[a + j] = dar;
                    dz[a + H + j] = daz;
                    dz[a + 2 * H + j] = dan;
                    du[a + j] = dar;
                    du[a + H + j] = daz;
                    du[a + 2 * H + j] = dan * r;                                 // du_n = da_n ⊙ r
                    dhn[q + j] = d * zz;                                         // dh ⊙ z, + Whᵀ du below
                }
            }
            storeGradient(t, GH);
            round(du, BGH);
            dU.write(t * BGH, du, BGH);
            for (int s = 0; s < B; s++) {
                for (int j = 0; j < H; j++) {
                    dbnSum[j] += du[s * GH + 2 * H + j];
                }
            }
            dhnext.write(0, dhn, BH);
            Blas.gemm(isDouble, false, false, B, H, GH, dU.at((long) t * BGH), GH, Wh.at(0), H, 1.0,
                    dhnext.at(0), H);
            dhnext.read(0, dhn, BH);
        }
    }
}
