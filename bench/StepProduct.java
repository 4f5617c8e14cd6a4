import charrnn.numeric.Blas;
import charrnn.numeric.RowProduct;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.bytedeco.javacpp.Pointer;

/**
 * The recurrence's per-step product, float32, one thread: RowProduct (each row alone, the same bits for
 * any rows per call: what makes --threads exact) against OpenBLAS's sgemm on the same operands, for the
 * rows a thread's part has (B = 50 streams over 1, 2, 4 threads: 50, 25, 12 rows; 6 for 8 threads) and
 * both of an LSTM layer's shapes: forward h_{t-1} Whᵀ (inner size H, 4H columns) and back dz Wh (inner
 * size 4H, H columns). Best of 7 rounds, µs per product, and the ratio.
 *
 * <p>Measured on a 2-core AMD EPYC (family 26, AVX-512), ND4J's OpenBLAS 0.3.19: under the Haswell
 * kernels (this environment's OPENBLAS_CORETYPE) RowProduct takes 0.50× sgemm's time at 50 rows, 0.33–0.38×
 * at 25, 0.25–0.29× at 12, at every H; under SkylakeX's (what the launcher sets on AVX-512 CPUs that
 * OpenBLAS does not know) 0.80–0.86× at 50 rows, 0.56–0.60× at 25, 0.36–0.98× at 12. RowProduct's time
 * is proportional to the rows (H=512 forward: 803, 407, 191, 89 µs for 50, 25, 12, 6 rows), sgemm's is not
 * (1592, 1078, 681, 680 µs): a part of fewer streams costs its share.
 *
 * usage: java --add-modules jdk.incubator.vector -cp target/charrnn.jar bench/StepProduct.java
 */
public class StepProduct {
    public static void main(String[] args) {
        Blas.useThreads(1);
        Random random = new Random(1);
        System.out.println("| H | product | rows | RowProduct µs | sgemm µs | RowProduct / sgemm |");
        System.out.println("| ---: | --- | ---: | ---: | ---: | ---: |");
        for (int h : new int[] {128, 256, 512}) {
            for (boolean forward : new boolean[] {true, false}) {
                int k = forward ? h : 4 * h;
                int n = forward ? 4 * h : h;
                for (int rows : new int[] {50, 25, 12, 6}) {
                    float[] a = new float[rows * k];
                    double[] w = new double[k * n];
                    float[] wf = new float[k * n];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (float) random.nextGaussian();
                    }
                    for (int i = 0; i < w.length; i++) {
                        wf[i] = (float) random.nextGaussian();
                        w[i] = wf[i];
                    }
                    float[] packed = new float[k * n];
                    RowProduct.pack(w, false, k, n, packed);
                    float[] c = new float[rows * n];
                    INDArray A = Nd4j.create(a, new long[] {rows, k}, 'c');
                    INDArray W = Nd4j.create(wf, new long[] {k, n}, 'c');
                    INDArray C = Nd4j.zeros(DataType.FLOAT, rows, n);
                    Pointer pa = A.data().addressPointer();
                    Pointer pw = W.data().addressPointer();
                    Pointer pc = C.data().addressPointer();
                    int reps = (int) Math.max(20, 1e8 / ((double) rows * k * n));
                    double own = Double.MAX_VALUE;
                    double blas = Double.MAX_VALUE;
                    for (int round = 0; round < 7; round++) {
                        long t0 = System.nanoTime();
                        for (int i = 0; i < reps; i++) {
                            RowProduct.multiply(a, 0, rows, k, packed, n, c);
                        }
                        long t1 = System.nanoTime();
                        for (int i = 0; i < reps; i++) {
                            Blas.gemm(false, false, false, rows, n, k, pa, k, pw, n, 0.0, pc, n);
                        }
                        long t2 = System.nanoTime();
                        own = Math.min(own, (t1 - t0) / 1e3 / reps);
                        blas = Math.min(blas, (t2 - t1) / 1e3 / reps);
                    }
                    System.out.printf("| %d | %s | %d | %.1f | %.1f | %.2f |%n", h, forward ? "h Whᵀ" : "dz Wh", rows,
                            own, blas, own / blas);
                }
            }
        }
    }
}
