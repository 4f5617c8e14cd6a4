package charrnn.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * "Close" in tests, the two tolerances the fixtures' README defines, each reporting the worst entry:
 * elementwise, |a − e| <= rtol·|e| + atol for every entry; and norm-wise, max|a − e| <= rtol · max|e|
 * (for values computed in different orders, where an entry near zero has no relative precision).
 * NaN is never close. ("The same" is {@link Exact}.)
 */
public final class Close {
    private Close() {
    }

    /** Every entry within {@code rtol}·|expected| + {@code atol}; same shape. */
    public static void assertClose(String label, INDArray expected, INDArray actual, double rtol, double atol) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()),
                label + ": shape");
        assertClose(label, Exact.raw(expected), Exact.raw(actual), rtol, atol);
    }

    /** Every entry within {@code rtol}·|expected| + {@code atol}. */
    public static void assertClose(String label, double[] e, double[] a, double rtol, double atol) {
        assertEquals(e.length, a.length, label + ": length");
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < e.length; i++) {
            double excess = Math.abs(a[i] - e[i]) - (rtol * Math.abs(e[i]) + atol);
            if (worstAt < 0 || excess > worst || Double.isNaN(excess)) {
                worst = Double.isNaN(excess) ? Double.POSITIVE_INFINITY : excess;
                worstAt = i;
            }
        }
        int w = worstAt;
        assertTrue(e.length == 0 || worst <= 0, () -> String.format("%s: entry %d is %.17g, expected %.17g "
                + "(|diff| %.3g)", label, w, a[w], e[w], Math.abs(a[w] - e[w])));
    }

    /** {@code actual} within {@code rtol}·|expected|. */
    public static void assertClose(String label, double expected, double actual, double rtol) {
        assertTrue(Math.abs(actual - expected) <= rtol * Math.abs(expected),
                () -> String.format("%s: %.17g, expected %.17g", label, actual, expected));
    }

    /** max|actual − expected| <= {@code rtol} · max|expected|, over arrays of the same length. */
    public static void assertNormClose(String label, INDArray expected, INDArray actual, double rtol) {
        assertEquals(expected.length(), actual.length(), label + ": size");
        assertNormClose(label, Exact.raw(expected), Exact.raw(actual), rtol);
    }

    /** max|a − e| <= {@code rtol} · max|e|. */
    public static void assertNormClose(String label, double[] e, double[] a, double rtol) {
        assertEquals(e.length, a.length, label + ": length");
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            double d = Math.abs(a[i] - e[i]);
            diff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(diff, d);
        }
        double bound = rtol * scale;
        double worst = diff;
        assertTrue(worst <= bound, () -> String.format("%s: max |diff| %.3g > %.1g · max|expected| = %.3g",
                label, worst, rtol, bound));
    }
}
