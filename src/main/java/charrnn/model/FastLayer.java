package charrnn.model;

import charrnn.numeric.Blas;
import charrnn.numeric.IeeeMath;
import charrnn.numeric.NativeArray;
import charrnn.numeric.RowProduct;
import java.util.Arrays;
import org.bytedeco.javacpp.Pointer;

@SuppressWarnings({"checkstyle:LocalVariableName", "checkstyle:MemberName"})
/**
 * One layer of {@link FastNetwork}: its parameters, its window buffers and what every cell shares (the
 * input side, the whole-window products, the gradient sums); each cell's equations, a step forward and a
 * step back for one part's streams, are in its subclass ({@link FastRnnLayer}, {@link FastLstmLayer},
 * {@link FastGruLayer}).
 */
abstract class FastLayer {
    final FastNetwork net;
    final int H;               // the network's sizes, as its equations name them
    final int B;
    final int T;
    final int TB;
    final int V;
    final int E;
    final boolean isDouble;
    final CellType cell;
    final int G;
    final int GH;
    final int BH;
    final int BGH;
    final int index;           // k: the layer's place in the stack, 0 reading the characters
    final boolean oneHot;      // layer 0 without an embedding: reads the one-hot input
    final boolean byCharacter; // layer 0: its input side Wx x_t is character x_t's row of wxT (V rows, not T·B)
    final NativeArray Wx;      // (G·H, in), column-major where the spec says so (then its memory is wxT's)
    final boolean wxColumnMajor;
    final NativeArray Wh;      // (G·H, H)
    final NativeArray b;       // (1, G·H)
    final NativeArray bn;      // (1, H) gru only
    final int in;              // width of the input: H above layer 0; E in layer 0 with an embedding
    final NativeArray X;       // (T·B, H) input of layers above the first with dropout (h_t ⊙ mask), or null
    final NativeArray mask;    // (T·B, H) dropout mask of that input, or null
    final NativeArray Hs;      // ((T+1)·B, H) block 0 = carried h, block t+1 = h_t
    final NativeArray Cs;      // ((T+1)·B, H) lstm: carried c, then c_t
    final NativeArray A;       // (T·B, G·H) input side X Wxᵀ (above layer 0), step products, then the gates
    final NativeArray table;   // (V, G·H) layer 0 with an embedding: emb Wxᵀ, row c = Wx emb[c]
    final NativeArray S;       // (V, G·H) layer 0 with an embedding: Σ da_t over the rows whose input is c
    final NativeArray U;       // (T·B, 3H) gru: Wh h_{t-1}, its n block + bn
    final NativeArray TC;      // (T·B, H) lstm: tanh(c_t)
    final NativeArray dA;      // (T·B, G·H) gradient of the input-side pre-activation
    final NativeArray dU;      // (T·B, G·H) gru: gradient of u; the others: dA itself
    final NativeArray dH;      // (T·B, H) gradient of h_t from above
    final double[] bias;       // G·H b
    final double[] biasN;      // H gru: bn
    final double[] wxT;        // layer 0: (V, G·H) Wx x for each character x: Wx transposed (one-hot), emb Wxᵀ
    final double[] vgh;        // layer 0: (G·H, V) Wx as read, then dWx as written
    final double[] db;         // G·H: Σ_t da_t, column sums of dA in row order
    final double[] dbn;        // H gru: Σ_t du_n
    final double[] dWxT;       // layer 0: (V, G·H) Σ da_t per input character (one-hot: dWx transposed; else S)
    // the per-step products' weights, read and packed (RowProduct.pack) before each forward pass; a float32
    // model uses the float arrays
    final double[] wh;         // (G·H, H) Wh as read
    final double[] whT;        // (H, G·H) Whᵀ packed: z = h_{t-1} Whᵀ
    final double[] whBack;     // (G·H, H) Wh packed: dh_{t-1} = dz Wh
    final float[] whTf;
    final float[] whBackf;
    /** One row per forward step (sampling): BLAS's one-row product; every window of more rows, RowProduct. */
    final boolean blasSteps;
    final NativeArray stepOut; // (1, G·H) with one row per step: BLAS's result
    final Slice[] slices;      // per part

    FastLayer(FastNetwork net, int k) {
        this.net = net;
        H = net.H;
        B = net.B;
        T = net.T;
        TB = net.TB;
        V = net.V;
        E = net.E;
        isDouble = net.isDouble;
        cell = net.spec.cell();
        G = cell.gates;
        BH = B * H;
        GH = G * H;
        BGH = B * GH;
        index = k;
        oneHot = k == 0 && !net.spec.embedded();
        byCharacter = k == 0;
        in = k == 0 ? net.spec.inputSize() : H;
        wxColumnMajor = net.spec.columnMajor(ModelSpec.wx(k));
        Wx = new NativeArray(net.params.get(ModelSpec.wx(k)), wxColumnMajor ? 'f' : 'c');
        Wh = new NativeArray(net.params.get(ModelSpec.wh(k)));
        b = new NativeArray(net.params.get(ModelSpec.b(k)));
        bn = cell == CellType.GRU ? new NativeArray(net.params.get(ModelSpec.bn(k))) : null;
        X = k > 0 && net.dropout > 0 ? net.zeros(TB, H) : null;
        mask = k > 0 && net.dropout > 0 ? net.zeros(TB, H) : null;
        Hs = net.zeros((long) (T + 1) * B, H);
        Cs = cell == CellType.LSTM ? net.zeros((long) (T + 1) * B, H) : null;
        A = net.zeros(TB, GH);
        table = byCharacter && !oneHot ? net.zeros(V, GH) : null;
        S = byCharacter && !oneHot ? net.zeros(V, GH) : null;
        U = cell == CellType.GRU ? net.zeros(TB, GH) : null;
        TC = cell == CellType.LSTM ? net.zeros(TB, H) : null;
        dA = net.zeros(TB, GH);
        dU = cell == CellType.GRU ? net.zeros(TB, GH) : dA;
        dH = net.zeros(TB, H);
        bias = new double[GH];
        biasN = new double[H];
        wxT = byCharacter ? new double[V * GH] : null;
        vgh = oneHot ? new double[V * GH] : null;
        db = new double[GH];
        dbn = new double[H];
        dWxT = byCharacter ? new double[V * GH] : null;
        blasSteps = TB == 1;
        stepOut = blasSteps ? net.zeros(1, GH) : null;
        wh = blasSteps ? null : new double[GH * H];
        whT = blasSteps || !isDouble ? null : new double[H * GH];
        whBack = blasSteps || !isDouble ? null : new double[GH * H];
        whTf = blasSteps || isDouble ? null : new float[H * GH];
        whBackf = blasSteps || isDouble ? null : new float[GH * H];
        slices = new Slice[net.parts.length];
        for (FastNetwork.Part part : net.parts) {
            slices[part.index] = new Slice(part);
        }
    }

    /** A layer above the first's input for the whole window, (T·B, H): the layer below's h_t, dropped out in training. */
    Pointer input(FastLayer below) {
        return net.dropped ? X.at(0) : below.Hs.at((long) BH);
    }

    /**
     * Reads b (and bn, Wh and Whᵀ, and layer 0's one-hot Wx transposed) into the loops' arrays, before a
     * forward pass; with an embedding, layer 0's wxT is read from {@link #table} once the network has made it.
     */
    void prepare() {
        if (!blasSteps) {
            Wh.read(0, wh, GH * H);
            if (isDouble) {
                RowProduct.pack(wh, true, H, GH, whT);
                RowProduct.pack(wh, false, GH, H, whBack);
            } else {
                RowProduct.pack(wh, true, H, GH, whTf);
                RowProduct.pack(wh, false, GH, H, whBackf);
            }
        }
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
        long start = q.clock.begin();
        long products = q.clock.nanos(PhaseClock.Phase.STEP_PRODUCTS);
        for (int t = 0; t < T; t++) {
            step(q, t);
        }
        q.clock.end(PhaseClock.Phase.CELLS, start + q.clock.nanos(PhaseClock.Phase.STEP_PRODUCTS) - products);
    }

    /**
     * The recurrence's product for the part's n streams, out (n, width) = x (n, K) W: forward, x = h_{t-1}
     * (K = H) and W = Whᵀ (width G·H), z's share Wh h_{t-1}; back, x = dz (K = G·H) and W = Wh (width H),
     * dh_{t-1} = Whᵀ dz. A {@link RowProduct}, each row alone, in the model's type (out holds float32
     * values in a float32 model); with one row per step, BLAS's product of the stored h_{t-1} at {@code row}.
     */
    void stepProduct(Slice q, int row, double[] x, boolean forward, double[] out) {
        long start = q.clock.begin();
        int K = forward ? H : GH;
        int width = forward ? GH : H;
        int n = q.n;
        if (blasSteps) {
            Blas.gemm(isDouble, false, true, n, GH, H, Hs.at((long) row * H), H, Wh.at(0), H, 0.0, stepOut.at(0), GH);
            stepOut.read(0, out, n * GH);
        } else if (isDouble) {
            RowProduct.multiply(x, 0, n, K, forward ? whT : whBack, width, out);
        } else {
            IeeeMath.toFloats(x, 0, q.xf, n * K);
            RowProduct.multiply(q.xf, 0, n, K, forward ? whTf : whBackf, width, q.yf);
            IeeeMath.toDoubles(q.yf, out, 0, n * width);
        }
        q.clock.end(PhaseClock.Phase.STEP_PRODUCTS, start);
    }

    /**
     * z[·] += the input side of step t for the part's streams, Wx x_t + b: b, and in layer 0 the input's
     * row of wxT for the input character (layers above read X Wxᵀ from A, where the step's product added to it).
     */
    void addInput(Slice q, int t, double[] z, int width) {
        for (int s = 0; s < q.n; s++) {
            int a = s * width;
            if (byCharacter) {
                int column = net.inputs[t * B + q.s0 + s] * GH;
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

    /** The part's backpropagation through the T steps (no gradient into the carried state). */
    void backward(Slice q) {
        if (blasSteps) {
            throw new IllegalStateException("a network of one row per step only steps forward");
        }
        long start = q.clock.begin();
        long products = q.clock.nanos(PhaseClock.Phase.STEP_PRODUCTS);
        Arrays.fill(q.dhn, 0.0);
        Arrays.fill(q.dcnext, 0.0);
        int nH = q.n * H;
        for (int t = T - 1; t >= 0; t--) {
            dH.read((t * B + q.s0) * H, q.dh, nH);
            for (int i = 0; i < nH; i++) {
                q.dh[i] += q.dhn[i];                           // dh = dH_t + dhnext
            }
            back(q, t);
        }
        q.clock.end(PhaseClock.Phase.CELLS, start + q.clock.nanos(PhaseClock.Phase.STEP_PRODUCTS) - products);
    }

    /**
     * Thread t's share of the whole-window products of the backward pass: its tiles of dWh = Σ_t du_t
     * h_{t-1}ᵀ and, above layer 0, of dWx = Σ_t da_t x_tᵀ and of the gradient of the input, below.dH =
     * dA Wx (dropped out as the input was); and its columns of db, dbn and layer 0's dWxT (Σ da_t per input
     * character), sums over the rows in order.
     */
    void weightGradients(int t, ParamSet grads, FastLayer below) {
        NativeArray dWh = new NativeArray(grads.get(ModelSpec.wh(index)));
        net.gemmTiles(t, true, false, GH, H, TB, dU.at(0), GH, Hs.at(0), H, 0.0, dWh, H);
        if (!byCharacter) {
            NativeArray dWx = new NativeArray(grads.get(ModelSpec.wx(index)));
            net.gemmTiles(t, true, false, GH, in, TB, dA.at(0), GH, input(below), in, 0.0, dWx, in);
            net.gemmTiles(t, false, false, TB, in, GH, dA.at(0), GH, Wx.at(0), in, 0.0, below.dH, in);
            if (net.dropped) {
                net.multiplyRows(net.scratch[t], below.dH, mask, net.rowFrom(TB, t) * H, net.rowFrom(TB, t + 1) * H);
            }
        }
        long start = net.scratch[t].clock.begin();
        double[] row = net.scratch[t].row;
        int from = net.columnFrom(GH, t);
        int to = net.columnFrom(GH, t + 1);
        if (!byCharacter) {
            net.columnSums(dA, GH, from, to, db, row);                 // db = Σ_t da_t
        } else {
            // db = Σ_t da_t, and dWxT's row of character c, Σ of da_t over the rows whose input is c
            Arrays.fill(db, from, to, 0.0);
            for (int c = 0; c < V; c++) {
                Arrays.fill(dWxT, c * GH + from, c * GH + to, 0.0);
            }
            for (int r = 0; r < TB; r++) {
                dA.read(r * GH + from, row, to - from);
                int at = net.inputs[r] * GH;
                for (int j = from; j < to; j++) {
                    db[j] += row[j - from];
                    dWxT[at + j] += row[j - from];
                }
            }
        }
        if (cell == CellType.GRU) {
            // dbn = Σ_t du_n, the n block's columns of dU
            int n0 = net.columnFrom(H, t);
            int n1 = net.columnFrom(H, t + 1);
            Arrays.fill(dbn, n0, n1, 0.0);
            for (int r = 0; r < TB; r++) {
                dU.read(r * GH + 2 * H + n0, row, n1 - n0);
                for (int j = n0; j < n1; j++) {
                    dbn[j] += row[j - n0];
                }
            }
        }
        net.scratch[t].clock.end(PhaseClock.Phase.WINDOW_ELEMENTWISE, start);
    }

    /**
     * Writes db, dbn and layer 0's one-hot dWx, the sums {@link #weightGradients} made, into the gradients;
     * with an embedding, layer 0's per-character sums into S, for {@link #embeddingGradients}.
     */
    void sums(ParamSet grads) {
        new NativeArray(grads.get(ModelSpec.b(index))).write(0, db, GH);
        if (cell == CellType.GRU) {
            new NativeArray(grads.get(ModelSpec.bn(index))).write(0, dbn, H);
        }
        if (oneHot && wxColumnMajor) {
            new NativeArray(grads.get(ModelSpec.wx(index)), 'f').write(0, dWxT, V * GH);
        } else if (oneHot) {
            for (int j = 0; j < GH; j++) {
                for (int v = 0; v < V; v++) {
                    vgh[j * V + v] = dWxT[v * GH + j];
                }
            }
            new NativeArray(grads.get(ModelSpec.wx(index))).write(0, vgh, V * GH);
        } else if (byCharacter) {
            S.write(0, dWxT, V * GH);
        }
    }

    /**
     * Layer 0 with an embedding, thread t's tiles of its input's gradients from S, once S is whole: Σ_t da_t
     * x_tᵀ with x_t = emb[c_t] is dWx = Sᵀ emb (G·H, E), and the embedding row of c gets Wxᵀ S[c]: demb = S Wx
     * (V, E).
     */
    void embeddingGradients(int t, ParamSet grads, NativeArray emb) {
        NativeArray dWx = new NativeArray(grads.get(ModelSpec.wx(index)));
        NativeArray demb = new NativeArray(grads.get(ModelSpec.EMB));
        net.gemmTiles(t, true, false, GH, E, V, S.at(0), GH, emb.at(0), E, 0.0, dWx, E);
        net.gemmTiles(t, false, false, V, E, GH, S.at(0), GH, Wx.at(0), E, 0.0, demb, E);
    }

    /** Step t's gradients of the pre-activations for the part's streams, (n, width), rounded to the model's type, into dA. */
    void storeGradient(Slice q, int t, int width) {
        int nw = q.n * width;
        round(q.dz, nw);
        dA.write((t * B + q.s0) * width, q.dz, nw);
    }

    /** Layer k of {@code net}'s model, of its cell. */
    static FastLayer of(FastNetwork net, int k) {
        return switch (net.spec.cell()) {
            case RNN -> new FastRnnLayer(net, k);
            case LSTM -> new FastLstmLayer(net, k);
            case GRU -> new FastGruLayer(net, k);
        };
    }

    /**
     * a[from, to) := σ(a[·]) (the lstm's and gru's gates): a float32 model's in float32 lanes
     * ({@link IeeeMath#sigmoidFloat(double[], int, int, float[])}, its arguments and results being float32
     * values), a float64 model's in float64.
     */
    void sigmoid(Slice q, double[] a, int from, int to) {
        if (isDouble) {
            IeeeMath.sigmoid(a, from, to);
        } else {
            IeeeMath.sigmoidFloat(a, from, to, q.xf);
        }
    }

    /** a[from, to) := tanh(a[·]) in the model's precision, as {@link #sigmoid}. */
    void tanh(Slice q, double[] a, int from, int to) {
        if (isDouble) {
            IeeeMath.tanh(a, from, to);
        } else {
            IeeeMath.tanhFloat(a, from, to, q.xf);
        }
    }

    /** a[0, n) rounded to the model's type (what storing and reading back gives). */
    void round(double[] a, int n) {
        net.round(a, n);
    }

    /** a[from, to) rounded to the model's type. */
    void round(double[] a, int from, int to) {
        net.round(a, from, to);
    }

    /** Step t forward for the part's streams: the cell's equations. */
    abstract void step(Slice q, int t);

    /** Step t back for the part's streams: the gradients of the cell's equations. */
    abstract void back(Slice q, int t);

    /** A layer's step buffers for one part's streams, in float64, (n, ·) row-major. */
    final class Slice {
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
        final double[] product;    // n·G·H a step's product
        final float[] xf;          // n·G·H float32 models: the product's input, then σ's and tanh's
        final float[] yf;          // n·G·H and its result
        final PhaseClock clock;    // the clock of the part's thread

        Slice(FastNetwork.Part part) {
            clock = net.scratch[part.index].clock;
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
            product = new double[n * GH];
            xf = isDouble ? null : new float[n * GH];
            yf = isDouble ? null : new float[n * GH];
        }
    }
}
