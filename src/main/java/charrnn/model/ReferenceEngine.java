package charrnn.model;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * min-char-rnn on ND4J operations: forward over a window of T characters, softmax cross-entropy,
 * backpropagation through time, clipping and Adagrad, each equation one ND4J call where it can be.
 *
 * <p>Activations are stored one time step per row (T×H), so each step is contiguous. Everything that
 * does not depend on the previous step is one ND4J call for the whole window (the one-hot products
 * with Wxh, the output layer, softmax, the weight gradients); only the recurrence itself runs step by
 * step, on views created once here, so a window allocates nothing per step.
 */
@SuppressWarnings("checkstyle:LocalVariableName")
public final class ReferenceEngine implements Engine {
    private final Params params;
    private final int T;              // sequence length
    private final int H;
    private final int V;

    // window workspaces, rows are time steps
    private final INDArray X;         // (T, V) one-hot inputs, row t = x_tᵀ
    private final INDArray Targets;   // (T, V) one-hot targets
    private final INDArray Hs;        // (T+1, H) row 0 = hprevᵀ, row t+1 = h_tᵀ
    private final INDArray Hprev;     // (T, H) view of Hs rows 0..T-1: h_{t-1}
    private final INDArray Hcur;      // (T, H) view of Hs rows 1..T: h_t
    private final INDArray P;         // (T, V) softmax probabilities, then dy
    private final INDArray dH;        // (T, H) dL/dh_t from the output layer
    private final INDArray dHraw;     // (T, H) dL/d(pre-activation) at step t
    private final INDArray G;         // (T, H) tanh'(.) = 1 - h_t²
    private final INDArray dhnext;    // (1, H) gradient flowing into h_{t-1} through Whh
    private final INDArray[] hRow;    // views: row t of Hs
    private final INDArray[] dHRow;
    private final INDArray[] dHrawRow;
    private final INDArray[] GRow;

    public ReferenceEngine(Params params, int seqLength) {
        this.params = params;
        this.T = seqLength;
        this.H = params.hiddenSize();
        this.V = params.vocabSize();
        var dtype = params.dataType();
        X = Nd4j.zeros(dtype, T, V);
        Targets = Nd4j.zeros(dtype, T, V);
        Hs = Nd4j.zeros(dtype, T + 1, H);
        Hprev = Hs.get(NDArrayIndex.interval(0, T), NDArrayIndex.all());
        Hcur = Hs.get(NDArrayIndex.interval(1, T + 1), NDArrayIndex.all());
        P = Nd4j.zeros(dtype, T, V);
        dH = Nd4j.zeros(dtype, T, H);
        dHraw = Nd4j.zeros(dtype, T, H);
        G = Nd4j.zeros(dtype, T, H);
        dhnext = Nd4j.zeros(dtype, 1, H);
        hRow = new INDArray[T + 1];
        dHRow = new INDArray[T];
        dHrawRow = new INDArray[T];
        GRow = new INDArray[T];
        for (int t = 0; t <= T; t++) {
            hRow[t] = Hs.getRow(t, true);
        }
        for (int t = 0; t < T; t++) {
            dHRow[t] = dH.getRow(t, true);
            dHrawRow[t] = dHraw.getRow(t, true);
            GRow[t] = G.getRow(t, true);
        }
    }

    @Override
    public int seqLength() {
        return T;
    }

    @Override
    public Params params() {
        return params;
    }

    @Override
    public double lossAndGradients(int[] window, INDArray hprev, Gradients grads) {
        try (MemoryWorkspace ws = Workspaces.temporaries("charrnn-reference")) {
            return forwardBackward(window, hprev, grads);
        }
    }

    private double forwardBackward(int[] window, INDArray hprev, Gradients grads) {
        double loss = forward(window, hprev);

        // backward: dy_t = p_t − onehot(target_t)
        INDArray dY = P.subi(Targets);                               // (T, V), P is no longer needed
        Nd4j.gemm(dY, Hcur, grads.dWhy, true, false, 1.0, 0.0);      // dWhy = Σ_t dy_t h_tᵀ
        grads.dby.assign(dY.sum(true, 0).reshape(V, 1));             // dby = Σ_t dy_t
        Nd4j.gemm(dY, params.Why, dH, false, false, 1.0, 0.0);       // Whyᵀ dy_t for every t

        G.assign(Hcur).muli(Hcur).rsubi(1.0);                        // tanh' = 1 − h_t²
        dhnext.assign(0.0);
        for (int t = T - 1; t >= 0; t--) {
            // dhraw = (1 − h_t²) ⊙ (Whyᵀ dy_t + dhnext): backprop through tanh
            dHrawRow[t].assign(dHRow[t]).addi(dhnext).muli(GRow[t]);
            // dhnext = Whhᵀ dhraw, as rows: dhraw Whh
            Nd4j.gemm(dHrawRow[t], params.Whh, dhnext, false, false, 1.0, 0.0);
        }
        grads.dbh.assign(dHraw.sum(true, 0).reshape(H, 1));          // dbh = Σ_t dhraw_t
        Nd4j.gemm(dHraw, Hprev, grads.dWhh, true, false, 1.0, 0.0);  // dWhh = Σ_t dhraw_t h_{t-1}ᵀ
        Nd4j.gemm(dHraw, X, grads.dWxh, true, false, 1.0, 0.0);      // dWxh = Σ_t dhraw_t x_tᵀ

        hprev.assign(hRow[T].reshape(H, 1));
        return loss;
    }

    @Override
    public double loss(int[] window, INDArray hprev) {
        try (MemoryWorkspace ws = Workspaces.temporaries("charrnn-reference")) {
            double loss = forward(window, hprev);
            hprev.assign(hRow[T].reshape(H, 1));
            return loss;
        }
    }

    /** The forward pass from hprev: hidden states, probabilities (in P) and the loss. */
    private double forward(int[] window, INDArray hprev) {
        if (window.length != T + 1) {
            throw new IllegalArgumentException("window must hold T+1 = " + (T + 1) + " indices");
        }
        oneHot(X, window, 0);
        oneHot(Targets, window, 1);

        // forward: h_t = tanh(Wxh x_t + Whh h_{t-1} + bh), as rows: h_t = x_t Wxhᵀ + h_{t-1} Whhᵀ + bhᵀ
        hRow[0].assign(hprev.reshape(1, H));
        Nd4j.gemm(X, params.Wxh, Hcur, false, true, 1.0, 0.0);      // Wxh x_t for every t at once
        Hcur.addiRowVector(params.bh.reshape(1, H));
        for (int t = 0; t < T; t++) {
            Nd4j.gemm(hRow[t], params.Whh, hRow[t + 1], false, true, 1.0, 1.0);
            Transforms.tanh(hRow[t + 1], false);
        }

        // y_t = Why h_t + by; p_t = softmax(y_t), max subtracted before exp
        Nd4j.gemm(Hcur, params.Why, P, false, true, 1.0, 0.0);
        P.addiRowVector(params.by.reshape(1, V));
        P.subiColumnVector(P.max(true, 1));
        Transforms.exp(P, false);
        P.diviColumnVector(P.sum(true, 1));

        // loss = Σ_t −ln p_t[target_t]
        double loss = -Transforms.log(P.mul(Targets).sum(1), false).sumNumber().doubleValue();

        return loss;
    }

    @Override
    public void clipAndUpdate(Gradients grads, Adagrad adagrad, double clip) {
        try (MemoryWorkspace ws = Workspaces.temporaries("charrnn-reference")) {
            grads.clip(clip);
            adagrad.update(params, grads);
        }
    }

    @Override
    public void step(int input, INDArray h, double[] logits) {
        try (MemoryWorkspace ws = Workspaces.temporaries("charrnn-reference")) {
            // h = tanh(Wxh x + Whh h + bh), where Wxh x is column `input` of Wxh
            INDArray pre = params.Whh.mmul(h).addi(params.Wxh.getColumn(input, true)).addi(params.bh);
            h.assign(Transforms.tanh(pre, false));
            // y = Why h + by
            double[] y = params.Why.mmul(h).addi(params.by).toDoubleVector();
            System.arraycopy(y, 0, logits, 0, y.length);
        }
    }

    /** Writes one-hot rows: row t has a 1 at column window[t + shift]. T writes into the buffer. */
    private void oneHot(INDArray m, int[] window, int shift) {
        m.assign(0.0);
        var buffer = m.data();
        for (int t = 0; t < T; t++) {
            buffer.put((long) t * V + window[t + shift], 1.0);
        }
    }
}
