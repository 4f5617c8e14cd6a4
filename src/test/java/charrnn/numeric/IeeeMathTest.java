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

    private static double floatUlps(float actual, double expected) {
        return actual == (float) expected ? 0 : Math.abs(actual - expected) / Math.ulp((float) expected);
    }

    @Test
    void float32FunctionsWithinThreeUlpOfStrictMath() {
        double worstSigmoid = 0;
        double worstTanh = 0;
        double worstExp = 0;
        for (double a : arguments(300_000)) {
            float x = (float) a;
            double sigmoid = 1 / (1 + StrictMath.exp(-(double) x));
            if (x >= IeeeMath.EXP_MIN_F) {
                worstSigmoid = Math.max(worstSigmoid, floatUlps(IeeeMath.sigmoidFloat(x), sigmoid));
            } else {
                assertEquals(sigmoid, IeeeMath.sigmoidFloat(x), StrictMath.exp(IeeeMath.EXP_MIN_F), "σ(" + x + ") below the normal range");
            }
            worstTanh = Math.max(worstTanh, floatUlps(IeeeMath.tanhFloat(x), StrictMath.tanh(x)));
            float y = -Math.abs(x);
            if (y >= IeeeMath.EXP_MIN_F) {
                worstExp = Math.max(worstExp, floatUlps(IeeeMath.expFloat(y), StrictMath.exp(y)));
            }
        }
        double[] worst = {worstSigmoid, worstTanh, worstExp};
        assertTrue(worst[0] <= 3 && worst[1] <= 3 && worst[2] <= 3,
                () -> "worst errors (sigmoid, tanh, exp) " + java.util.Arrays.toString(worst) + " ulp");
        assertEquals(0.5f, IeeeMath.sigmoidFloat(0f));
        assertEquals(1f, IeeeMath.sigmoidFloat(200f));
        assertEquals(0f, IeeeMath.sigmoidFloat(-200f));
        assertEquals(0f, IeeeMath.tanhFloat(0f));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(IeeeMath.tanhFloat(-0f)));
        assertEquals(1f, IeeeMath.tanhFloat(Float.POSITIVE_INFINITY));
        assertEquals(-1f, IeeeMath.tanhFloat(-50f));
        assertEquals(1f, IeeeMath.expFloat(0f));
    }

    @Test
    void float32VectorLanesAreBitIdenticalToTheScalarFunctions() {
        assumeTrue(VectorApi.AVAILABLE, "the JVM runs without jdk.incubator.vector");
        double[] xs = arguments(10_003);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) xs[i];
        }
        xs[1] = -0.0;
        xs[2] = 9.0;
        xs[3] = -1e30;
        xs[4] = -87.5;
        double[] sig = xs.clone();
        double[] tanh = xs.clone();
        float[] scratch = new float[xs.length];
        IeeeMath.sigmoidFloat(sig, 1, xs.length, scratch);
        IeeeMath.tanhFloat(tanh, 1, xs.length, scratch);
        assertEquals(xs[0], sig[0]);   // outside [from, to): untouched
        for (int i = 1; i < xs.length; i++) {
            float x = (float) xs[i];
            assertEquals(Float.floatToRawIntBits(IeeeMath.sigmoidFloat(x)), Float.floatToRawIntBits((float) sig[i]),
                    "sigmoid(" + x + ")");
            assertEquals((double) (float) sig[i], sig[i], "a float32 value");
            assertEquals(Float.floatToRawIntBits(IeeeMath.tanhFloat(x)), Float.floatToRawIntBits((float) tanh[i]),
                    "tanh(" + x + ")");
        }
    }

    @Test
    void conversionsRoundAsTheCast() {
        double[] xs = arguments(1_003);
        xs[0] = 1 + 0x1p-24;      // a tie: to even
        xs[1] = Double.MAX_VALUE; // to infinity
        float[] f = new float[xs.length];
        IeeeMath.toFloats(xs, 0, f, xs.length);
        double[] back = new double[xs.length];
        IeeeMath.toDoubles(f, back, 0, xs.length);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Float.floatToRawIntBits((float) xs[i]), Float.floatToRawIntBits(f[i]), "(float) " + xs[i]);
            assertEquals(Double.doubleToRawLongBits((double) f[i]), Double.doubleToRawLongBits(back[i]));
        }
    }
}
