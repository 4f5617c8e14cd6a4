package charrnn.numeric;

/**
 * C = A W with every row of C computed alone: element C[r, j] is one chain of fused multiply-adds,
 * c = fma(A[r, k], W[k, j], c) for k = 0, 1, ..., K−1 from c = 0, whatever the number of rows in the call
 * and whichever thread makes it. A BLAS gemm does not promise that (its float32 rows change with the
 * row count of the call here: bench/GemmRows.java), and the recurrence's per-step product runs over
 * each thread's share of the streams, whose size depends on the thread count. A (rows, K) and C (rows, N)
 * are row-major; W (K, N) is {@link #pack packed} once for many products: in panels of a few columns
 * (two of the machine's vectors), each panel K×width contiguous, k-major, the columns after the last
 * whole panel row-major at the end. (Six rows by a panel at a time, it runs at 2–4× OpenBLAS's sgemm on
 * the recurrence's shapes here: bench/StepProduct.java.)
 */
public final class RowProduct {
    private RowProduct() {
    }

    /** The columns of a float32 panel. */
    static int floatPanel() {
        return VectorApi.AVAILABLE ? VectorProduct.floatPanel() : 16;
    }

    /** The columns of a float64 panel. */
    static int doublePanel() {
        return VectorApi.AVAILABLE ? VectorProduct.doublePanel() : 8;
    }

    /** Where W[i, j] of a packed K×N matrix with panels of {@code panel} columns is. */
    private static int at(int i, int j, int k, int n, int panel) {
        int whole = n / panel * panel;
        return j < whole ? (j / panel) * panel * k + i * panel + j % panel : whole * k + i * (n - whole) + j - whole;
    }

    /**
     * W (K, N) packed for {@link #multiply(float[], int, int, int, float[], int, float[])} into {@code out}
     * (K·N floats, rounded from src's doubles): W[i, j] = src[i·N + j], or with {@code transposed}
     * src[j·K + i] (src holds Wᵀ, N×K, row-major).
     */
    public static void pack(double[] src, boolean transposed, int k, int n, float[] out) {
        int panel = floatPanel();
        int o = 0;
        for (int j0 = 0; j0 < n; j0 += panel) {
            int width = Math.min(panel, n - j0);   // the last block: the columns after the whole panels
            for (int i = 0; i < k; i++) {
                for (int j = j0; j < j0 + width; j++) {
                    out[o++] = (float) (transposed ? src[j * k + i] : src[i * n + j]);
                }
            }
        }
    }

    /** The same in float64. */
    public static void pack(double[] src, boolean transposed, int k, int n, double[] out) {
        int panel = doublePanel();
        int o = 0;
        for (int j0 = 0; j0 < n; j0 += panel) {
            int width = Math.min(panel, n - j0);
            for (int i = 0; i < k; i++) {
                for (int j = j0; j < j0 + width; j++) {
                    out[o++] = transposed ? src[j * k + i] : src[i * n + j];
                }
            }
        }
    }

    /** Rows [r0, r1) of C = A W, A (·, k), W (k, n) packed, C (·, n), float32 arithmetic. */
    public static void multiply(float[] a, int r0, int r1, int k, float[] w, int n, float[] c) {
        int panel = floatPanel();
        int done = VectorApi.AVAILABLE ? VectorProduct.multiply(a, r0, r1, k, w, n, c) : 0;
        for (int r = r0; r < r1; r++) {
            for (int j = done; j < n; j++) {
                float sum = 0f;
                for (int i = 0; i < k; i++) {
                    sum = Math.fma(a[r * k + i], w[at(i, j, k, n, panel)], sum);
                }
                c[r * n + j] = sum;
            }
        }
    }

    /** Rows [r0, r1) of C = A W in float64, W packed. */
    public static void multiply(double[] a, int r0, int r1, int k, double[] w, int n, double[] c) {
        int panel = doublePanel();
        int done = VectorApi.AVAILABLE ? VectorProduct.multiply(a, r0, r1, k, w, n, c) : 0;
        for (int r = r0; r < r1; r++) {
            for (int j = done; j < n; j++) {
                double sum = 0.0;
                for (int i = 0; i < k; i++) {
                    sum = Math.fma(a[r * k + i], w[at(i, j, k, n, panel)], sum);
                }
                c[r * n + j] = sum;
            }
        }
    }
}
