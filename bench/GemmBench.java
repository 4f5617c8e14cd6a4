import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GFLOP/s of the float32 matrix products of one training iteration of the 2-layer LSTM at H=256, B=50,
 * T=50, V=65, through the OpenBLAS that ND4J ships, as charrnn's fast engine calls it, with one and two
 * threads: the ceiling of the deep models' speed on this machine.
 *
 * usage: OPENBLAS_CORETYPE=SkylakeX java -cp target/charrnn.jar bench/GemmBench.java   (as the launcher sets it)
 */
public class GemmBench {
    public static void main(String[] args) {
        int[][] shapes = {   // m, n, k, transA, transB: what they are in an iteration
            {50, 1024, 256, 0, 1},    // a step: h_{t-1} Whᵀ for the B streams (100 per iteration)
            {50, 256, 1024, 0, 0},    // a step backward: dz Wh (100 per iteration)
            {25, 1024, 256, 0, 1},    // a step of half the streams, as each of the engine's two threads runs it
            {25, 256, 1024, 0, 0},    // and backward
            {2500, 1024, 256, 0, 1},  // the window: X Wxᵀ of layer 1
            {1024, 256, 2500, 1, 0},  // the window: dWh, dWx = dzᵀ X
            {2500, 256, 1024, 0, 0},  // the window: dX = dz Wx
            {2500, 65, 256, 0, 1},    // the decoder
        };
        for (int threads : new int[] {1, 2}) {
            Nd4j.factory().blas().setMaxThreads(threads);
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                boolean ta = s[3] == 1, tb = s[4] == 1;
                FloatPointer a = random((long) m * k);
                FloatPointer b = random((long) k * n);
                FloatPointer c = new FloatPointer((long) m * n);
                int reps = 40;
                double best = Double.MAX_VALUE;
                for (int round = 0; round < 5; round++) {
                    long t0 = System.nanoTime();
                    for (int r = 0; r < reps; r++) {
                        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n,
                                k, 1f, a, ta ? m : k, b, tb ? k : n, 0f, c, n);
                    }
                    best = Math.min(best, (System.nanoTime() - t0) / 1e3 / reps);
                }
                System.out.printf("%d thread%s  (%d×%d)·(%d×%d)%s  %8.0f µs  %6.1f GFLOP/s%n", threads,
                        threads == 1 ? " " : "s", m, k, k, n, ta ? " Aᵀ" : tb ? " Bᵀ" : "  ", best, 2.0 * m * n * k / best / 1e3);
            }
        }
    }

    private static FloatPointer random(long n) {
        float[] v = new float[(int) n];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() - 0.5f;
        }
        return new FloatPointer(v);
    }
}
