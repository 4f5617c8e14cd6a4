package charrnn.numeric;

/**
 * C = A W with every row of C computed alone: element C[r, j] is one chain of fused multiply-adds,
 * c = fma(A[r, k], W[k, j], c) for k = 0, 1, ..., K−1 from c = 0, whatever the number of rows in the call
 * and whichever thread makes it. A BLAS gemm does not promise that (its float32 rows change with the
 * row count of the call here: bench/GemmRows.java), and the recurrence's per-step product runs over
 * each thread's share of the streams, whose size depends on the thread count. Row-major throughout:
 * A (rows, K), W (K, N), C (rows, N).
 */
public final class RowProduct {
    private RowProduct() {
    }

    /** Rows [r0, r1) of C = A W, A (·, k), W (k, n), C (·, n), float32 arithmetic. */
    public static void multiply(float[] a, int r0, int r1, int k, float[] w, int n, float[] c) {
        int done = VectorApi.AVAILABLE ? VectorProduct.multiply(a, r0, r1, k, w, n, c) : 0;
        for (int r = r0; r < r1; r++) {
            for (int j = done; j < n; j++) {
                float sum = 0f;
                for (int i = 0; i < k; i++) {
                    sum = Math.fma(a[r * k + i], w[i * n + j], sum);
                }
                c[r * n + j] = sum;
            }
        }
    }

    /** Rows [r0, r1) of C = A W in float64. */
    public static void multiply(double[] a, int r0, int r1, int k, double[] w, int n, double[] c) {
        int done = VectorApi.AVAILABLE ? VectorProduct.multiply(a, r0, r1, k, w, n, c) : 0;
        for (int r = r0; r < r1; r++) {
            for (int j = done; j < n; j++) {
                double sum = 0.0;
                for (int i = 0; i < k; i++) {
                    sum = Math.fma(a[r * k + i], w[i * n + j], sum);
                }
                c[r * n + j] = sum;
            }
        }
    }
}
