package charrnn.model;


/** The LSTM cell on the fast network's buffers (gates i, f, g, o, PyTorch's equations), and its gradients. */
@SuppressWarnings({"checkstyle:LocalVariableName", "checkstyle:MemberName"})
final class FastLstmLayer extends FastLayer {
    FastLstmLayer(FastNetwork net, int k) {
        super(net, k);
    }

    /** i, f, o = σ(z_i, z_f, z_o), g = tanh(z_g); c_t = f ⊙ c_{t-1} + i ⊙ g; h_t = o ⊙ tanh(c_t). */
    @Override
    void step(Slice q, int t) {
        int row = t * B + q.s0;
        int nH = q.n * H;
        int nGH = q.n * GH;
        double[] z = q.z;
        Hs.read(row * H, q.hPrev, nH);
        stepProduct(q, row, q.hPrev, true, z);             // Wh h_{t-1}
        if (!byCharacter) {
            A.read(row * GH, q.u, nGH);                     // + Wx x_t, the window's product
            for (int i = 0; i < nGH; i++) {
                z[i] += q.u[i];
            }
        }
        addInput(q, t, z, GH);
        round(z, nGH);                                      // the pre-activations as stored
        Cs.read(row * H, q.cPrev, nH);
        for (int s = 0; s < q.n; s++) {
            int a = s * GH;
            sigmoid(q, z, a, a + 2 * H);              // i, f
            tanh(q, z, a + 2 * H, a + 3 * H);         // g
            sigmoid(q, z, a + 3 * H, a + 4 * H);      // o
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
        tanh(q, q.tc, 0, nH);
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

    @Override
    void back(Slice q, int t) {
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
        stepProduct(q, row, q.dz, false, q.dhn);           // dh_{t-1} = Whᵀ dz
    }
}
