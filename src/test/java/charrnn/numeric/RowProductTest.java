package charrnn.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RowProduct's promise: element C[r, j] is the chain c = fma(A[r, k], W[k, j], c) over k in order from
 * c = 0 (computed here, in the test, one scalar chain per element), whatever rows the call covers. The
 * sizes cover the vector kernel's blocks of four rows and two vectors and their scalar remainders.
 */
class RowProductTest {
    @ParameterizedTest
    @CsvSource({"7, 16, 64", "5, 33, 100", "13, 128, 512", "1, 1, 3", "9, 65, 37"})
    void everyElementIsItsOwnFmaChainWhateverTheRowsOfTheCall(int rows, int k, int n) {
        Random random = new Random(rows * 1_000_003L + k * 1009L + n);
        float[] a = new float[rows * k];
        float[] w = new float[k * n];
        double[] ad = new double[rows * k];
        double[] wd = new double[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextGaussian();
            ad[i] = random.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
            wd[i] = random.nextGaussian();
        }
        float[] packed = new float[k * n];
        double[] packedD = new double[k * n];
        double[] wAsDoubles = new double[k * n];
        for (int i = 0; i < w.length; i++) {
            wAsDoubles[i] = w[i];
        }
        RowProduct.pack(wAsDoubles, false, k, n, packed);
        RowProduct.pack(wd, false, k, n, packedD);
        double[] transposed = new double[n * k];           // Wᵀ, packed as W
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                transposed[j * k + i] = wd[i * n + j];
            }
        }
        double[] packedT = new double[k * n];
        RowProduct.pack(transposed, true, k, n, packedT);
        assertArrayEquals(packedD, packedT, "W packed from Wᵀ");
        float[] all = new float[rows * n];
        double[] allD = new double[rows * n];
        RowProduct.multiply(a, 0, rows, k, packed, n, all);
        RowProduct.multiply(ad, 0, rows, k, packedD, n, allD);
        float[] split = new float[rows * n];
        double[] splitD = new double[rows * n];
        for (int r0 = 0; r0 < rows; ) {          // the rows in calls of 1, 2, 3, ... rows
            int r1 = Math.min(rows, r0 + 1 + r0 % 3);
            RowProduct.multiply(a, r0, r1, k, packed, n, split);
            RowProduct.multiply(ad, r0, r1, k, packedD, n, splitD);
            r0 = r1;
        }
        int inexact = 0;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                float c = 0f;
                double cd = 0.0;
                for (int i = 0; i < k; i++) {
                    c = Math.fma(a[r * k + i], w[i * n + j], c);
                    cd = Math.fma(ad[r * k + i], wd[i * n + j], cd);
                }
                int at = r * n + j;
                assertEquals(Float.floatToRawIntBits(c), Float.floatToRawIntBits(all[at]), "float C[" + r + "," + j + "]");
                assertEquals(Float.floatToRawIntBits(c), Float.floatToRawIntBits(split[at]), "float, rows split");
                assertEquals(Double.doubleToRawLongBits(cd), Double.doubleToRawLongBits(allD[at]), "double C");
                assertEquals(Double.doubleToRawLongBits(cd), Double.doubleToRawLongBits(splitD[at]), "double, split");
                double exact = 0;
                for (int i = 0; i < k; i++) {
                    exact += (double) a[r * k + i] * w[i * n + j];
                }
                inexact += Math.abs(c - exact) > 1e-4 * Math.max(1, Math.abs(exact)) ? 1 : 0;
            }
        }
        assertEquals(0, inexact, "float32 products far from the float64 sum");
        assertTrue(VectorApi.AVAILABLE, "the tests run with the Vector API, so its kernel is the one tested");
    }
}
