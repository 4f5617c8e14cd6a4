package charrnn.numeric;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemv;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row-major BLAS calls straight into the OpenBLAS that ND4J ships, skipping ND4J's op executor, whose
 * per-call cost is ten times the arithmetic at min-char-rnn's sizes (see DESIGN.md, "Speed").
 */
public final class Blas {
    private Blas() {
    }

    /**
     * One BLAS thread: the recurrence and the Java loops around it are sequential, and a second BLAS
     * thread only fights them for the second core (measured 2–3× slower with two).
     */
    public static void useThreads(int threads) {
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** y = op(A) x + beta y, A is m×n row-major with leading dimension lda. */
    public static void gemv(boolean isDouble, boolean transA, int m, int n, Pointer a, int lda, Pointer x, double beta,
                     Pointer y) {
        int trans = transA ? CblasTrans : CblasNoTrans;
        if (isDouble) {
            cblas_dgemv(CblasRowMajor, trans, m, n, 1.0, (DoublePointer) a, lda, (DoublePointer) x, 1, beta,
                    (DoublePointer) y, 1);
        } else {
            cblas_sgemv(CblasRowMajor, trans, m, n, 1f, (FloatPointer) a, lda, (FloatPointer) x, 1, (float) beta,
                    (FloatPointer) y, 1);
        }
    }

    /** C = op(A) op(B) + beta C, with op(A) m×k, op(B) k×n, all row-major. */
    public static void gemm(boolean isDouble, boolean transA, boolean transB, int m, int n, int k, Pointer a, int lda,
                     Pointer b, int ldb, double beta, Pointer c, int ldc) {
        int ta = transA ? CblasTrans : CblasNoTrans;
        int tb = transB ? CblasTrans : CblasNoTrans;
        if (isDouble) {
            cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, (DoublePointer) a, lda, (DoublePointer) b, ldb, beta,
                    (DoublePointer) c, ldc);
        } else {
            cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1f, (FloatPointer) a, lda, (FloatPointer) b, ldb,
                    (float) beta, (FloatPointer) c, ldc);
        }
    }
}
