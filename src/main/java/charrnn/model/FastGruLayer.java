package charrnn.model;

import charrnn.numeric.VectorApi;
import charrnn.numeric.VectorMath;
import java.util.Arrays;

/** The GRU cell on the fast network's buffers (gates r, z, n, PyTorch's equations), and its gradients. */
@SuppressWarnings({"checkstyle:LocalVariableName", "checkstyle:MemberName"})
final class FastGruLayer extends FastLayer {
    FastGruLayer(FastNetwork net, int k) {
        super(net, k);
    }

    /** r = σ(a_r + u_r), z = σ(a_z + u_z), n = tanh(a_n + r ⊙ (u_n + bn)), h_t = n + z ⊙ (h_{t-1} − n). */
    @Override
    void step(Slice q, int t) {
        int row = t * B + q.s0;
        int nH = q.n * H;
        int nGH = q.n * GH;
        double[] z = q.z;
        double[] u = q.u;
        Hs.read(row * H, q.hPrev, nH);
        stepProduct(q, row, q.hPrev, true, u);             // u = Wh h_{t-1}
        if (byCharacter) {
            Arrays.fill(z, 0, nGH, 0.0);
        } else {
            A.read(row * GH, z, nGH);
        }
        addInput(q, t, z, GH);                                 // a = Wx x_t + b
        for (int s = 0; s < q.n; s++) {
            int a = s * GH;
            for (int j = 0; j < H; j++) {
                u[a + 2 * H + j] += biasN[j];                   // u_n + bn
            }
            for (int j = 0; j < 2 * H; j++) {
                z[a + j] += u[a + j];                          // a_r + u_r, a_z + u_z
            }
        }
        round(u, nGH);                                         // u_n + bn as stored
        round(z, nGH);
        U.write(row * GH, u, nGH);
        for (int s = 0; s < q.n; s++) {
            int a = s * GH;
            sigmoid(q, z, a, a + 2 * H);                  // r, z
            round(z, a, a + 2 * H);
            for (int j = 0; j < H; j++) {
                z[a + 2 * H + j] += z[a + j] * u[a + 2 * H + j];   // a_n + r ⊙ (u_n + bn)
            }
            round(z, a + 2 * H, a + 3 * H);
            tanh(q, z, a + 2 * H, a + 3 * H);             // n
            round(z, a + 2 * H, a + 3 * H);
        }
        A.write(row * GH, z, nGH);
        for (int s = 0; s < q.n; s++) {
            int a = s * GH;
            int c = s * H;
            for (int j = 0; j < H; j++) {
                double n = z[a + 2 * H + j];
                q.h[c + j] = n + z[a + H + j] * (q.hPrev[c + j] - n);
            }
        }
        Hs.write(row * H + BH, q.h, nH);
    }

    @Override
    void back(Slice q, int t) {
        int row = t * B + q.s0;
        int nH = q.n * H;
        int nGH = q.n * GH;
        double[] z = q.z;
        double[] u = q.u;
        A.read(row * GH, z, nGH);
        U.read(row * GH, u, nGH);
        Hs.read(row * H, q.hPrev, nH);
        for (int s = 0; s < q.n; s++) {
            int a = s * GH;
            int c = s * H;
            int vectorized = VectorApi.AVAILABLE ? VectorMath.gruBack(z, u, q.hPrev, q.dh, q.dz, q.du, q.dhn, a, c, H) : 0;
            for (int j = vectorized; j < H; j++) {
                double r = z[a + j];
                double zz = z[a + H + j];
                double n = z[a + 2 * H + j];
                double d = q.dh[c + j];
                double dan = d * (1 - zz) * (1 - n * n);                     // da_n
                double dar = dan * u[a + 2 * H + j] * r * (1 - r);           // da_r
                double daz = d * (q.hPrev[c + j] - n) * zz * (1 - zz);       // da_z
                q.dz[a + j] = dar;
                q.dz[a + H + j] = daz;
                q.dz[a + 2 * H + j] = dan;
                q.du[a + j] = dar;
                q.du[a + H + j] = daz;
                q.du[a + 2 * H + j] = dan * r;                               // du_n = da_n ⊙ r
                q.dhn[c + j] = d * zz;                                       // dh ⊙ z, + Whᵀ du below
            }
        }
        storeGradient(q, t, GH);
        round(q.du, nGH);
        dU.write(row * GH, q.du, nGH);
        round(q.dhn, nH);
        stepProduct(q, row, q.du, false, q.product);       // dh_{t-1} = dh ⊙ z + Whᵀ du
        for (int i = 0; i < nH; i++) {
            q.dhn[i] += q.product[i];
        }
        round(q.dhn, nH);
    }
}
