package charrnn.model;

import charrnn.numeric.Blas;
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
        Blas.gemm(isDouble, false, true, q.n, H, H, Hs.at((long) row * H), H, Wh.at(0), H, oneHot ? 0.0 : 1.0,
                A.at((long) row * H), H);
        A.read(row * H, q.h, nH);
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
        Blas.gemm(isDouble, false, false, q.n, H, H, dA.at((long) row * H), H, Wh.at(0), H, 0.0,
                dhnext.at((long) q.s0 * H), H);
        dhnext.read(q.s0 * H, q.dhn, nH);
    }
}
