package charrnn.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import charrnn.util.Rng;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class IeeeMathTest {
    /** Gaussian arguments at the scales the network meets: tiny, around the switch of k, large, saturated. */
    private static double[] arguments(int n) {
        Rng rng = new Rng(99);
        double[] xs = new double[n];
        double[] scales = {1e-6, 0.3, 2.0, 30.0};
        for (int i = 0; i < n; i++) {
            xs[i] = scales[i % scales.length] * rng.nextGaussian();
        }
        return xs;
    }

    private static double ulps(double actual, double expected) {
        return actual == expected ? 0 : Math.abs(actual - expected) / Math.ulp(expected);
    }

    @Test
    void tanhWithinFourUlpOfStrictMath() {
        double worst = 0;
        for (double x : arguments(300_000)) {
            worst = Math.max(worst, ulps(IeeeMath.tanh(x), StrictMath.tanh(x)));
        }
        double w = worst;
        assertTrue(w <= 4, () -> "worst error " + w + " ulp");
        assertEquals(0.0, IeeeMath.tanh(0.0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(IeeeMath.tanh(-0.0)));
        assertEquals(1.0, IeeeMath.tanh(800));
        assertEquals(-1.0, IeeeMath.tanh(-800));
        assertEquals(1.0, IeeeMath.tanh(Double.POSITIVE_INFINITY));
        assertEquals(0.5, IeeeMath.tanh(0.5 * Math.log(3)), 2 * Math.ulp(0.5));   // tanh(ln(3)/2) = 1/2
    }

    @Test
    void expWithinOneUlpOfStrictMathAndZeroBelowTheNormalRange() {
        double worst = 0;
        for (double x : arguments(300_000)) {
            double y = -Math.abs(x) * 20;   // softmax's arguments: y − max ≤ 0
            if (y >= IeeeMath.EXP_MIN) {
                worst = Math.max(worst, ulps(IeeeMath.exp(y), StrictMath.exp(y)));
            }
            worst = Math.max(worst, ulps(IeeeMath.exp(x), StrictMath.exp(x)));
        }
        double w = worst;
        assertTrue(w <= 1, () -> "worst error " + w + " ulp");
        assertEquals(1.0, IeeeMath.exp(0.0));
        assertEquals(1.0, IeeeMath.exp(-0.0));
        assertEquals(Math.E, IeeeMath.exp(1.0), Math.ulp(Math.E));
        assertEquals(StrictMath.exp(IeeeMath.EXP_MIN), IeeeMath.exp(IeeeMath.EXP_MIN), Math.ulp(3.3e-308));
        assertEquals(0.0, IeeeMath.exp(-708.5));
        assertEquals(0.0, IeeeMath.exp(Double.NEGATIVE_INFINITY));
    }

    @Test
    void vectorLanesAreBitIdenticalToTheScalarFunctions() {
        assumeTrue(VectorApi.AVAILABLE, "the JVM runs without jdk.incubator.vector");
        double[] xs = arguments(10_003);   // not a whole number of vectors: the tail stays scalar
        xs[0] = 0.0;
        xs[1] = -0.0;
        xs[2] = 22.0;
        xs[3] = -1e300;
        ByteBuffer buf = ByteBuffer.allocateDirect(xs.length * Double.BYTES).order(ByteOrder.nativeOrder());
        buf.asDoubleBuffer().put(xs);
        VectorMath.tanh(buf, 1, xs.length);
        for (int i = 1; i < xs.length; i++) {
            assertEquals(Double.doubleToRawLongBits(IeeeMath.tanh(xs[i])), Double.doubleToRawLongBits(buf.getDouble(i * 8)),
                    "tanh(" + xs[i] + ")");
        }
        assertEquals(xs[0], buf.getDouble(0));   // outside [from, to): untouched

        double[] ys = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            ys[i] = -Math.abs(xs[i]) * 40;
        }
        ys[5] = Double.NEGATIVE_INFINITY;
        ys[6] = IeeeMath.EXP_MIN;
        double[] out = ys.clone();
        VectorMath.exp(out, out.length);
        for (int i = 0; i < out.length; i++) {
            assertEquals(Double.doubleToRawLongBits(IeeeMath.exp(ys[i])), Double.doubleToRawLongBits(out[i]),
                    "exp(" + ys[i] + ")");
        }
    }
}
