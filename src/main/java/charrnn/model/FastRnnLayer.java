package charrnn.model;

import charrnn.numeric.IeeeMath;

/** The tanh RNN cell on the fast network's buffers: h_t = tanh(Wx x_t + Wh h_{t-1} + b), and its gradients. */
@SuppressWarnings({"checkstyle:LocalVariableName", "checkstyle:MemberName"})
final class FastRnnLayer extends FastLayer {
    FastRnnLayer(FastNetwork net, int k) {
        super(net, k);
    }

    /** h_t = tanh(Wx x_t + Wh h_{t-1} + b). */
    @Override
    void step(Slice q, int t) {
        int row = t * B + q.s0;
        int nH = q.n * H;
        Hs.read(row * H, q.hPrev, nH);
        stepProduct(q, row, q.hPrev, true, q.h);           // Wh h_{t-1}
        if (!byCharacter) {
            A.read(row * H, q.z, nH);                       // + Wx x_t, the window's product
            for (int i = 0; i < nH; i++) {
                q.h[i] += q.z[i];
            }
        }
        addInput(q, t, q.h, H);
        round(q.h, nH);                                     // the pre-activation as stored
        IeeeMath.tanh(q.h, 0, nH);
        Hs.write(row * H + BH, q.h, nH);
    }

    /** dhraw = (1 − h_t²) ⊙ dh; dhnext = Whᵀ dhraw. */
    @Override
    void back(Slice q, int t) {
        int row = t * B + q.s0;
        int nH = q.n * H;
        Hs.read(row * H + BH, q.h, nH);
        for (int i = 0; i < nH; i++) {
            q.dz[i] = (1 - q.h[i] * q.h[i]) * q.dh[i];
        }
        storeGradient(q, t, H);
        stepProduct(q, row, q.dz, false, q.dhn);
    }
}
