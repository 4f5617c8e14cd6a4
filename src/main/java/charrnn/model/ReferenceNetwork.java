package charrnn.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import charrnn.numeric.Workspaces;
import charrnn.util.Rng;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A stack of L recurrent layers ({@link CellType}) and a softmax decoder, run over one window of T
 * characters for each of B streams at once, on ND4J operations (one per equation where ND4J allows).
 *
 * <p>Layer 0 reads the one-hot x_t, or with an embedding its row {@code emb[x_t]} (= one-hot x_t times
 * emb); layer k > 0 reads h_t of layer k−1; the decoder
 * {@code y_t = Why h_t + by} reads the top layer. {@code p_t = softmax(y_t)}; the loss of an iteration is
 * Σ_t −ln p_t[target_t] summed over the window and averaged over the B streams (so B = 1 is
 * min-char-rnn's loss), and the gradients are those of that average. With dropout P in training, the
 * input of every layer above the first and the decoder's input are multiplied by a mask of 0 and
 * 1/(1−P) (inverted dropout), drawn from the run's dropout random stream.
 *
 * <p>Layout: the rows of every window-sized array are (t, s) pairs, row t·B + s, so the B rows of step t
 * are contiguous; the columns are units, gates in blocks of H (i, f, g, o or r, z, n). Everything that
 * does not depend on the previous step (input projections, decoder, softmax, weight gradients) is one
 * product for the whole window; only the recurrence runs step by step, on views made once here.
 */
@SuppressWarnings({"checkstyle:LocalVariableName", "checkstyle:MemberName"})
public final class ReferenceNetwork extends NetworkBase {
    private final double dropout;
    private final Layer[] layers;
    private final INDArray emb;      // (V, E) the input embedding, or null (one-hot input)
    private final INDArray Inputs;   // (T·B, V) one-hot inputs, with an embedding (else layer 0's X is that)
    private final INDArray dX0;      // (T·B, E) with an embedding: gradient of layer 0's input rows
    private final INDArray Targets;  // (T·B, V) one-hot targets
    private final INDArray Y;        // (T·B, V) logits
    private final INDArray P;        // (T·B, V) probabilities, then dy
    private final INDArray Dec;      // (T·B, H) decoder input: top layer's h_t, dropped out in training
    private final INDArray decMask;  // (T·B, H) dropout mask of the decoder's input, or null
    private final INDArray Why;      // (V, H)
    private final INDArray by;       // (1, V)
    private boolean dropped;         // whether the last forward pass applied dropout

    /**
     * @param dropout probability of zeroing an input of the layers above the first and of the decoder in
     *                training ({@link #forward} with a random stream); 0 for none
     */
    public ReferenceNetwork(ParamSet params, int batchSize, int seqLength, double dropout) {
        super(params, batchSize, seqLength);
        this.dropout = dropout;
        var dtype = spec.precision().dataType();
        layers = new Layer[L];
        for (int k = 0; k < L; k++) {
            layers[k] = new Layer(k);
        }
        emb = spec.embedded() ? params.get(ModelSpec.EMB) : null;
        Inputs = emb != null ? Nd4j.zeros(dtype, T * B, V) : null;
        dX0 = emb != null ? Nd4j.zeros(dtype, T * B, spec.embeddingSize()) : null;
        Targets = Nd4j.zeros(dtype, T * B, V);
        Y = Nd4j.zeros(dtype, T * B, V);
        P = Nd4j.zeros(dtype, T * B, V);
        Dec = Nd4j.zeros(dtype, T * B, H);
        decMask = dropout > 0 ? Nd4j.zeros(dtype, T * B, H) : null;
        Why = params.get(ModelSpec.WHY);
        by = params.get(ModelSpec.BY);
    }

    /**
     * The forward pass over one window of every stream, from the carried {@code state}, which becomes the
     * state after step T−1 (the next window's).
     *
     * @param windows    [B][T+1] vocabulary indices: inputs are [0, T), targets [1, T]
     * @param dropoutRng the random stream of the dropout masks in training; null: no dropout (scoring)
     * @return the loss: Σ_t −ln p_t[target_t], averaged over the streams
     */
    @Override
    public double forward(int[][] windows, StreamState state, Rng dropoutRng) {
        try (MemoryWorkspace ws = Workspaces.temporaries("charrnn-stacked")) {
            return forwardPass(windows, state, dropoutRng);
        }
    }

    /** Gradients of the last {@link #forward}'s loss, not clipped, into {@code grads}. */
    @Override
    public void backward(ParamSet grads) {
        try (MemoryWorkspace ws = Workspaces.temporaries("charrnn-stacked")) {
            backwardPass(grads);
        }
    }

    /** Logits of step t of stream s of the last forward pass (length V), into {@code logits}. */
    @Override
    public void logits(int t, int s, double[] logits) {
        double[] row = Y.getRow((long) t * B + s).toDoubleVector();
        System.arraycopy(row, 0, logits, 0, V);
    }

    private double forwardPass(int[][] windows, StreamState state, Rng dropoutRng) {
        if (windows.length != B) {
            throw new IllegalArgumentException("expected windows of " + B + " streams, got " + windows.length);
        }
        dropped = dropout > 0 && dropoutRng != null;
        if (emb == null) {
            oneHot(layers[0].X, windows, 0);
        } else {
            oneHot(Inputs, windows, 0);
            Nd4j.gemm(Inputs, emb, layers[0].X, false, false, 1.0, 0.0);   // x_t = emb[input_t], as rows
        }
        oneHot(Targets, windows, 1);
        for (int k = 0; k < L; k++) {
            Layer layer = layers[k];
            if (k > 0) {
                layer.X.assign(layers[k - 1].Hcur);
                if (dropped) {
                    drawMask(layer.mask, dropoutRng);
                    layer.X.muli(layer.mask);
                }
            }
            layer.forward(state, k);
        }
        Dec.assign(layers[L - 1].Hcur);
        if (dropped) {
            drawMask(decMask, dropoutRng);
            Dec.muli(decMask);
        }

        // y_t = Why h_t + by, as rows: Y = Dec Whyᵀ + by
        Nd4j.gemm(Dec, Why, Y, false, true, 1.0, 0.0);
        Y.addiRowVector(by);
        // p_t = softmax(y_t), max subtracted before exp
        P.assign(Y);
        P.subiColumnVector(P.max(true, 1));
        Transforms.exp(P, false);
        P.diviColumnVector(P.sum(true, 1));

        // loss = (1/B) Σ_s Σ_t −ln p_t[target_t], summed in float64
        double[] picked = P.mul(Targets).sum(1).toDoubleVector();
        double loss = 0;
        for (double p : picked) {
            loss -= StrictMath.log(p);
        }
        return loss / B;
    }

    private void backwardPass(ParamSet grads) {
        // dy_t = (p_t − onehot(target_t)) / B: the gradient of the averaged loss
        INDArray dY = P.subi(Targets).divi(B);
        Nd4j.gemm(dY, Dec, grads.get(ModelSpec.WHY), true, false, 1.0, 0.0);   // dWhy = Σ dy_t Decᵀ
        grads.get(ModelSpec.BY).assign(dY.sum(true, 0));                        // dby = Σ dy_t
        Layer top = layers[L - 1];
        Nd4j.gemm(dY, Why, top.dH, false, false, 1.0, 0.0);             // dDec = Whyᵀ dy_t, as rows
        if (dropped) {
            top.dH.muli(decMask);
        }
        for (int k = L - 1; k >= 0; k--) {
            layers[k].backward(grads, k > 0 ? layers[k - 1] : null);
        }
        if (emb != null) {
            Nd4j.gemm(Inputs, dX0, grads.get(ModelSpec.EMB), true, false, 1.0, 0.0);   // demb[c] = Σ_{t: x_t = c} dx_t
        }
    }

    private void drawMask(INDArray mask, Rng rng) {
        drawMask(mask, dropout, rng);
    }

    /** The next mask of the dropout stream ({@link Dropout}). */
    static void drawMask(INDArray mask, double dropout, Rng rng) {
        double[] m = new double[(int) mask.length()];
        Dropout.draw(m, m.length, dropout, rng);
        mask.assign(Nd4j.createFromArray(m).reshape(mask.shape()).castTo(mask.dataType()));
    }

    /** Row t·B + s := one-hot of windows[s][t + shift]. */
    private void oneHot(INDArray m, int[][] windows, int shift) {
        m.assign(0.0);
        var buffer = m.data();
        for (int s = 0; s < B; s++) {
            if (windows[s].length != T + 1) {
                throw new IllegalArgumentException("a window must hold T+1 = " + (T + 1) + " indices");
            }
            for (int t = 0; t < T; t++) {
                buffer.put(((long) t * B + s) * V + windows[s][t + shift], 1.0);
            }
        }
    }

    /** One layer's parameters, window buffers and its cell's equations, forward and backward. */
    private final class Layer {
        final CellType cell = spec.cell();
        final int index;         // k
        final INDArray Wx;       // (G·H, in)
        final INDArray Wh;       // (G·H, H)
        final INDArray b;        // (1, G·H)
        final INDArray bn;       // (1, H) gru only
        final INDArray X;        // (T·B, in) input: one-hot or embedding rows (layer 0), or the layer below's
                                 // h, dropped out
        final INDArray mask;     // (T·B, H) dropout mask of the input (layers above the first), or null
        final INDArray Hs;       // ((T+1)·B, H) rows of block 0 = carried h, block t+1 = h_t
        final INDArray Hprev;    // (T·B, H) view: h_{t-1}
        final INDArray Hcur;     // (T·B, H) view: h_t
        final INDArray Cs;       // ((T+1)·B, H) lstm: carried c, then c_t
        final INDArray A;        // (T·B, G·H) rnn: unused; lstm: z, then the gates i, f, g, o;
                                 // gru: a = Wx x + b, then r, z, n
        final INDArray U;        // (T·B, 3H) gru: u = Wh h_{t-1}, its n block + bn
        final INDArray TC;       // (T·B, H) lstm: tanh(c_t)
        final INDArray dA;       // (T·B, G·H) gradient of the input-side pre-activation (rnn: of Wx x + Wh h + b)
        final INDArray dU;       // (T·B, G·H) gru: gradient of u; the others: dA itself
        final INDArray dH;       // (T·B, H) gradient of h_t from above (decoder or next layer)
        final INDArray dhnext;   // (B, H) gradient of h_{t-1} through the recurrence
        final INDArray dcnext;   // (B, H) lstm: gradient of c_{t-1}
        final INDArray[] h;      // [t] (B, H) block t of Hs
        final INDArray[] c;      // [t] (B, H) block t of Cs
        final INDArray[][] gate; // [t][g] (B, H) block t, gate g of A (gru: of A; its n block is n)
        final INDArray[] uRow;   // [t] (B, 3H) gru: block t of U
        final INDArray[][] u;    // [t][g] (B, H) gru: block t, gate g of U
        final INDArray[][] dGate; // [t][g] (B, H) of dA
        final INDArray[][] dUGate; // [t][g] (B, H) of dU
        final INDArray[] tc;     // [t] (B, H) block t of TC
        final INDArray[] dHt;    // [t] (B, H) block t of dH
        final INDArray[] aRow;   // [t] (B, G·H) block t of A (rnn: of Hcur)
        final INDArray[] dARow;  // [t] (B, G·H) block t of dA
        final INDArray[] dURow;  // [t] (B, G·H) block t of dU

        Layer(int k) {
            var dtype = spec.precision().dataType();
            int G = cell.gates;
            int in = k == 0 ? spec.inputSize() : H;
            index = k;
            Wx = params.get(ModelSpec.wx(k));
            Wh = params.get(ModelSpec.wh(k));
            b = params.get(ModelSpec.b(k));
            bn = cell == CellType.GRU ? params.get(ModelSpec.bn(k)) : null;
            X = Nd4j.zeros(dtype, T * B, in);
            mask = k > 0 && dropout > 0 ? Nd4j.zeros(dtype, T * B, H) : null;
            Hs = Nd4j.zeros(dtype, (T + 1) * B, H);
            Hprev = Hs.get(interval(0, T * B), all());
            Hcur = Hs.get(interval(B, (T + 1) * B), all());
            Cs = cell == CellType.LSTM ? Nd4j.zeros(dtype, (T + 1) * B, H) : null;
            A = cell == CellType.RNN ? null : Nd4j.zeros(dtype, T * B, G * H);
            U = cell == CellType.GRU ? Nd4j.zeros(dtype, T * B, G * H) : null;
            TC = cell == CellType.LSTM ? Nd4j.zeros(dtype, T * B, H) : null;
            dA = Nd4j.zeros(dtype, T * B, G * H);
            dU = cell == CellType.GRU ? Nd4j.zeros(dtype, T * B, G * H) : dA;
            dH = Nd4j.zeros(dtype, T * B, H);
            dhnext = Nd4j.zeros(dtype, B, H);
            dcnext = Nd4j.zeros(dtype, B, H);
            h = blocks(Hs, T + 1);
            c = Cs == null ? null : blocks(Cs, T + 1);
            aRow = blocks(A == null ? Hcur : A, T);
            dARow = blocks(dA, T);
            dURow = blocks(dU, T);
            dHt = blocks(dH, T);
            tc = TC == null ? null : blocks(TC, T);
            gate = A == null ? null : gates(aRow, G);
            uRow = U == null ? null : blocks(U, T);
            u = U == null ? null : gates(uRow, G);
            dGate = gates(dARow, G);
            dUGate = gates(dURow, G);
        }

        /** Over the T steps from the carried state of layer k, which becomes the state after step T−1. */
        void forward(StreamState state, int k) {
            h[0].assign(state.h[k]);
            if (cell == CellType.LSTM) {
                c[0].assign(state.c[k]);
            }
            // input side for the whole window: Wx x_t + b, as rows X Wxᵀ + b
            INDArray pre = cell == CellType.RNN ? Hcur : A;
            Nd4j.gemm(X, Wx, pre, false, true, 1.0, 0.0);
            pre.addiRowVector(b);
            for (int t = 0; t < T; t++) {
                switch (cell) {
                    case RNN -> rnnStep(t);
                    case LSTM -> lstmStep(t);
                    case GRU -> gruStep(t);
                }
            }
            state.h[k].assign(h[T]);
            if (cell == CellType.LSTM) {
                state.c[k].assign(c[T]);
            }
        }

        /** h_t = tanh(Wx x_t + Wh h_{t-1} + b); block t+1 of Hs holds Wx x_t + b already. */
        private void rnnStep(int t) {
            Nd4j.gemm(h[t], Wh, h[t + 1], false, true, 1.0, 1.0);
            Transforms.tanh(h[t + 1], false);
        }

        /** i, f, o = σ(z_i, z_f, z_o), g = tanh(z_g); c_t = f ⊙ c_{t-1} + i ⊙ g; h_t = o ⊙ tanh(c_t). */
        private void lstmStep(int t) {
            Nd4j.gemm(h[t], Wh, aRow[t], false, true, 1.0, 1.0);       // z = Wx x + b + Wh h_{t-1}
            INDArray[] g = gate[t];
            Transforms.sigmoid(g[0], false);                            // i
            Transforms.sigmoid(g[1], false);                            // f
            Transforms.tanh(g[2], false);                               // g
            Transforms.sigmoid(g[3], false);                            // o
            c[t + 1].assign(g[1]).muli(c[t]).addi(g[0].mul(g[2]));      // c_t = f ⊙ c_{t-1} + i ⊙ g
            tc[t].assign(c[t + 1]);
            Transforms.tanh(tc[t], false);                              // tanh(c_t)
            h[t + 1].assign(g[3]).muli(tc[t]);                          // h_t = o ⊙ tanh(c_t)
        }

        /**
         * r = σ(a_r + u_r), z = σ(a_z + u_z), n = tanh(a_n + r ⊙ (u_n + bn)), h_t = (1 − z) ⊙ n + z ⊙ h_{t-1};
         * A's blocks become r, z, n and U's n block u_n + bn.
         */
        private void gruStep(int t) {
            Nd4j.gemm(h[t], Wh, uRow[t], false, true, 1.0, 0.0);         // u = Wh h_{t-1}
            INDArray[] g = gate[t];
            INDArray[] ut = u[t];
            ut[2].addiRowVector(bn);                                    // u_n + bn
            Transforms.sigmoid(g[0].addi(ut[0]), false);                // r
            Transforms.sigmoid(g[1].addi(ut[1]), false);                // z
            Transforms.tanh(g[2].addi(g[0].mul(ut[2])), false);         // n
            // h_t = n + z ⊙ (h_{t-1} − n)
            h[t + 1].assign(h[t]).subi(g[2]).muli(g[1]).addi(g[2]);
        }

        /**
         * Backpropagation through the T steps (no gradient into the carried state), then the weight
         * gradients as whole-window products; the gradient of the input goes into {@code below.dH}, or in
         * layer 0 with an embedding into dX0.
         */
        void backward(ParamSet grads, Layer below) {
            dhnext.assign(0.0);
            dcnext.assign(0.0);
            for (int t = T - 1; t >= 0; t--) {
                INDArray dh = dHt[t].addi(dhnext);                      // dh = dH_t + dhnext
                switch (cell) {
                    case RNN -> {
                        // dhraw = (1 − h_t²) ⊙ dh: backprop through tanh
                        dARow[t].assign(h[t + 1]).muli(h[t + 1]).rsubi(1.0).muli(dh);
                        Nd4j.gemm(dARow[t], Wh, dhnext, false, false, 1.0, 0.0);   // dhnext = Whᵀ dhraw
                    }
                    case LSTM -> lstmBack(t, dh);
                    case GRU -> gruBack(t, dh);
                }
            }
            int k = index;
            Nd4j.gemm(dU, Hprev, grads.get(ModelSpec.wh(k)), true, false, 1.0, 0.0);   // dWh = Σ_t du_t h_{t-1}ᵀ
            Nd4j.gemm(dA, X, grads.get(ModelSpec.wx(k)), true, false, 1.0, 0.0);       // dWx = Σ_t da_t x_tᵀ
            grads.get(ModelSpec.b(k)).assign(dA.sum(true, 0));                          // db = Σ_t da_t
            if (cell == CellType.GRU) {
                grads.get(ModelSpec.bn(k)).assign(dU.get(all(), interval(2 * H, 3 * H)).sum(true, 0));
            }
            if (below != null) {
                Nd4j.gemm(dA, Wx, below.dH, false, false, 1.0, 0.0);   // gradient of the input: Wxᵀ da_t
                if (mask != null && dropped) {
                    below.dH.muli(mask);
                }
            } else if (emb != null) {
                Nd4j.gemm(dA, Wx, dX0, false, false, 1.0, 0.0);        // dx_t = Wxᵀ da_t
            }
        }

        private void lstmBack(int t, INDArray dh) {
            INDArray[] g = gate[t];
            INDArray i = g[0];
            INDArray f = g[1];
            INDArray gg = g[2];
            INDArray o = g[3];
            INDArray[] dz = dGate[t];
            // dc = dcnext + dh ⊙ o ⊙ (1 − tanh²(c_t))
            dcnext.addi(dh.mul(o).muli(tc[t].mul(tc[t]).rsubi(1.0)));
            INDArray dc = dcnext;
            dz[3].assign(dh).muli(tc[t]).muli(o).muli(o.rsub(1.0));           // dz_o = dh ⊙ tanh(c) ⊙ o(1−o)
            dz[0].assign(dc).muli(gg).muli(i).muli(i.rsub(1.0));              // dz_i = dc ⊙ g ⊙ i(1−i)
            dz[2].assign(dc).muli(i).muli(gg.mul(gg).rsubi(1.0));             // dz_g = dc ⊙ i ⊙ (1−g²)
            dz[1].assign(dc).muli(c[t]).muli(f).muli(f.rsub(1.0));            // dz_f = dc ⊙ c_{t-1} ⊙ f(1−f)
            dcnext.muli(f);                                                   // dc_{t-1} = dc ⊙ f
            Nd4j.gemm(dARow[t], Wh, dhnext, false, false, 1.0, 0.0);           // dh_{t-1} = Whᵀ dz
        }

        private void gruBack(int t, INDArray dh) {
            INDArray[] g = gate[t];
            INDArray r = g[0];
            INDArray z = g[1];
            INDArray n = g[2];
            INDArray un = u[t][2];                                            // u_n + bn
            INDArray[] da = dGate[t];
            INDArray[] du = dUGate[t];
            da[2].assign(z).rsubi(1.0).muli(dh).muli(n.mul(n).rsubi(1.0));    // da_n = dh ⊙ (1−z) ⊙ (1−n²)
            da[0].assign(da[2]).muli(un).muli(r).muli(r.rsub(1.0));           // da_r = da_n ⊙ (u_n+bn) ⊙ r(1−r)
            da[1].assign(h[t]).subi(n).muli(dh).muli(z).muli(z.rsub(1.0));    // da_z = dh ⊙ (h_{t-1}−n) ⊙ z(1−z)
            du[0].assign(da[0]);
            du[1].assign(da[1]);
            du[2].assign(da[2]).muli(r);                                      // du_n = da_n ⊙ r
            dhnext.assign(dh).muli(z);                                        // dh_{t-1} = dh ⊙ z + Whᵀ du
            Nd4j.gemm(dURow[t], Wh, dhnext, false, false, 1.0, 1.0);
        }

        /** Row blocks of B rows: [t] = rows [t·B, (t+1)·B). */
        private INDArray[] blocks(INDArray a, int n) {
            INDArray[] out = new INDArray[n];
            for (int t = 0; t < n; t++) {
                out[t] = a.get(interval(t * B, (t + 1) * B), all());
            }
            return out;
        }

        /** Column blocks of H columns of each row block: [t][g]. */
        private INDArray[][] gates(INDArray[] rows, int G) {
            INDArray[][] out = new INDArray[rows.length][G];
            for (int t = 0; t < rows.length; t++) {
                for (int g = 0; g < G; g++) {
                    out[t][g] = rows[t].get(all(), interval(g * H, (g + 1) * H));
                }
            }
            return out;
        }
    }
}
