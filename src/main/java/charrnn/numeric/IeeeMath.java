package charrnn.numeric;

/**
 * exp and tanh from IEEE 754's exactly rounded operations only (+, −, ×, /, fma and bit moves), so the
 * result of every call is fixed by its argument: the same in the interpreter and in JIT-compiled code,
 * and the same in {@link VectorMath}'s lanes, which run these steps eight at a time. (The Vector API's
 * own EXP and TANH lanes change their last bits once the JIT compiles them; StrictMath is fixed too but
 * cannot be vectorized.)
 *
 * <p>Method: x = k ln2 + r with |r| ≤ ln2/2 (Cody and Waite's two-part ln2, each product exact by
 * fma), e^r − 1 by its Taylor series to r¹³ (truncation below 2⁻⁵⁵ relative), and 2^k put straight
 * into the exponent bits. Within 1 ulp of StrictMath.exp and 4 ulp of StrictMath.tanh.
 */
public final class IeeeMath {
    /** 1.5 · 2⁵²: adding it rounds a double to an integer and leaves that integer in the low bits. */
    public static final double SHIFTER = 0x1.8p52;
    public static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    public static final double INV_LN2 = 1.44269504088896338700e+00;
    public static final double LN2_HI = 6.93147180369123816490e-01;   // ln2's upper 32 bits: k · LN2_HI is exact
    public static final double LN2_LO = 1.90821492927058770002e-10;   // ln2 − LN2_HI
    /** Below this e^x is subnormal; exp returns 0 there. */
    public static final double EXP_MIN = -708.0;
    /** From here on tanh(x) rounds to ±1 (1 − tanh 22 = 2e⁻⁴⁴ &lt; half an ulp of 1). */
    public static final double TANH_SATURATION = 22.0;
    /** 1/n! for n = 0 … 13. */
    public static final double[] INV_FACTORIAL = new double[14];

    /** The float32 versions' constants: 1.5 · 2²³, and ln2 in two parts (Cephes's: k · LN2_HI_F is exact for |k| &lt; 2¹⁵). */
    public static final float SHIFTER_F = 0x1.8p23f;
    public static final int SHIFTER_F_BITS = Float.floatToRawIntBits(SHIFTER_F);
    public static final float INV_LN2_F = 1.44269504088896338700f;
    public static final float LN2_HI_F = 0.693359375f;
    public static final float LN2_LO_F = -2.12194440e-4f;
    /** Below this e^x (float32) would leave the normal range; expFloat returns 0 there. */
    public static final float EXP_MIN_F = -87.0f;
    /** From here on tanh(x) rounds to ±1 in float32 (1 − tanh 9 = 3.0e⁻⁸ &lt; half an ulp of 1). */
    public static final float TANH_SATURATION_F = 9.0f;
    /** 1/n! for n = 0 … 7, rounded to float32: e^r − 1 to r⁷ (truncation below 2⁻²⁷ relative for |r| ≤ ln2/2). */
    public static final float[] INV_FACTORIAL_F = new float[8];

    static {
        double factorial = 1;
        for (int n = 0; n < INV_FACTORIAL.length; n++) {
            factorial *= Math.max(1, n);
            INV_FACTORIAL[n] = 1.0 / factorial;
            if (n < INV_FACTORIAL_F.length) {
                INV_FACTORIAL_F[n] = (float) (1.0 / factorial);
            }
        }
    }

    private IeeeMath() {
    }

    /** a[i] = e^a[i] for i in [0, n), several at a time where the JVM has the Vector API. */
    public static void exp(double[] a, int n) {
        if (VectorApi.AVAILABLE) {
            VectorMath.exp(a, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            a[i] = exp(a[i]);
        }
    }

    /** a[i] = e^a[i] for i in [from, to). */
    public static void exp(double[] a, int from, int to) {
        if (VectorApi.AVAILABLE) {
            VectorMath.exp(a, from, to);
            return;
        }
        for (int i = from; i < to; i++) {
            a[i] = exp(a[i]);
        }
    }

    /** e^x, and 0 below {@link #EXP_MIN}. */
    public static double exp(double x) {
        if (x < EXP_MIN) {
            return 0.0;
        }
        double t = Math.fma(x, INV_LN2, SHIFTER);
        double k = t - SHIFTER;                                   // round(x / ln2)
        double r = Math.fma(-k, LN2_LO, Math.fma(-k, LN2_HI, x));  // x − k ln2
        double scale = twoTo(Double.doubleToRawLongBits(t) - SHIFTER_BITS);
        return Math.fma(scale, expm1Reduced(r), scale);           // 2^k (1 + (e^r − 1))
    }

    /** σ(x) = 1 / (1 + e^{−x}), as e^x / (1 + e^x) for x &lt; 0 so that exp never overflows. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + exp(-x));
        }
        double e = exp(x);
        return e / (1.0 + e);
    }

    /** a[i] = σ(a[i]) for i in [from, to), several at a time where the JVM has the Vector API. */
    public static void sigmoid(double[] a, int from, int to) {
        if (VectorApi.AVAILABLE) {
            VectorMath.sigmoid(a, from, to);
            return;
        }
        for (int i = from; i < to; i++) {
            a[i] = sigmoid(a[i]);
        }
    }

    /** a[i] = tanh(a[i]) for i in [from, to), several at a time where the JVM has the Vector API. */
    public static void tanh(double[] a, int from, int to) {
        if (VectorApi.AVAILABLE) {
            VectorMath.tanh(a, from, to);
            return;
        }
        for (int i = from; i < to; i++) {
            a[i] = tanh(a[i]);
        }
    }

    /** a[i] = (float) a[i] for i in [from, to): the value a float32 array would hold. */
    public static void roundToFloat(double[] a, int from, int to) {
        if (VectorApi.AVAILABLE) {
            VectorMath.roundToFloat(a, from, to);
            return;
        }
        for (int i = from; i < to; i++) {
            a[i] = (float) a[i];
        }
    }

    /** dst[0, n) := (float) src[from + i]. */
    public static void toFloats(double[] src, int from, float[] dst, int n) {
        if (VectorApi.AVAILABLE) {
            VectorMath.toFloats(src, from, dst, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            dst[i] = (float) src[from + i];
        }
    }

    /** dst[from + i] := src[i] widened to double, for i in [0, n). */
    public static void toDoubles(float[] src, double[] dst, int from, int n) {
        if (VectorApi.AVAILABLE) {
            VectorMath.toDoubles(src, dst, from, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            dst[from + i] = src[i];
        }
    }

    /** tanh x = e / (e + 2) with e = e^{2|x|} − 1, the sign of x put back. */
    public static double tanh(double x) {
        double x2 = 2 * Math.min(Math.abs(x), TANH_SATURATION);
        double t = Math.fma(x2, INV_LN2, SHIFTER);
        double k = t - SHIFTER;
        double r = Math.fma(-k, LN2_LO, Math.fma(-k, LN2_HI, x2));
        double scale = twoTo(Double.doubleToRawLongBits(t) - SHIFTER_BITS);
        double e = Math.fma(scale, expm1Reduced(r), scale - 1.0); // 2^k (e^r − 1) + 2^k − 1
        return Math.copySign(e / (e + 2.0), x);
    }

    /** e^r − 1 for |r| ≤ ln2/2: r (1 + r/2! + r²/3! + … + r¹²/13!), Horner with fma. */
    public static double expm1Reduced(double r) {
        double p = INV_FACTORIAL[13];
        for (int n = 12; n >= 1; n--) {
            p = Math.fma(p, r, INV_FACTORIAL[n]);
        }
        return p * r;
    }

    /**
     * a[i] = σ(a[i]) for i in [from, to), computed in float32 on (float) a[i] ({@link #sigmoidFloat(float)}),
     * through {@code scratch} (at least to − from floats): for a float32 model, whose pre-activations and
     * gates are float32 values, twice the lanes and half the polynomial of the float64 function.
     */
    public static void sigmoidFloat(double[] a, int from, int to, float[] scratch) {
        int n = to - from;
        toFloats(a, from, scratch, n);
        if (VectorApi.AVAILABLE) {
            VectorMath.sigmoidFloat(scratch, n);
        } else {
            for (int i = 0; i < n; i++) {
                scratch[i] = sigmoidFloat(scratch[i]);
            }
        }
        toDoubles(scratch, a, from, n);
    }

    /** a[i] = tanh(a[i]) for i in [from, to), computed in float32 on (float) a[i] ({@link #tanhFloat(float)}). */
    public static void tanhFloat(double[] a, int from, int to, float[] scratch) {
        int n = to - from;
        toFloats(a, from, scratch, n);
        if (VectorApi.AVAILABLE) {
            VectorMath.tanhFloat(scratch, n);
        } else {
            for (int i = 0; i < n; i++) {
                scratch[i] = tanhFloat(scratch[i]);
            }
        }
        toDoubles(scratch, a, from, n);
    }

    /** e^x in float32, as {@link #exp(double)} with float32 operations and a polynomial to r⁷; 0 below {@link #EXP_MIN_F}. */
    public static float expFloat(float x) {
        if (x < EXP_MIN_F) {
            return 0f;
        }
        float t = Math.fma(x, INV_LN2_F, SHIFTER_F);
        float k = t - SHIFTER_F;                                       // round(x / ln2)
        float r = Math.fma(-k, LN2_LO_F, Math.fma(-k, LN2_HI_F, x));    // x − k ln2
        float scale = twoToFloat(Float.floatToRawIntBits(t) - SHIFTER_F_BITS);
        return Math.fma(scale, expm1ReducedFloat(r), scale);          // 2^k (1 + (e^r − 1))
    }

    /** σ(x) in float32: 1 / (1 + e^{−x}) for x ≥ 0, e^x / (1 + e^x) below. */
    public static float sigmoidFloat(float x) {
        if (x >= 0) {
            return 1f / (1f + expFloat(-x));
        }
        float e = expFloat(x);
        return e / (1f + e);
    }

    /** tanh x in float32: e / (e + 2) with e = e^{2|x|} − 1, the sign of x put back. */
    public static float tanhFloat(float x) {
        float x2 = 2 * Math.min(Math.abs(x), TANH_SATURATION_F);
        float t = Math.fma(x2, INV_LN2_F, SHIFTER_F);
        float k = t - SHIFTER_F;
        float r = Math.fma(-k, LN2_LO_F, Math.fma(-k, LN2_HI_F, x2));
        float scale = twoToFloat(Float.floatToRawIntBits(t) - SHIFTER_F_BITS);
        float e = Math.fma(scale, expm1ReducedFloat(r), scale - 1f);  // 2^k (e^r − 1) + 2^k − 1
        return Math.copySign(e / (e + 2f), x);
    }

    /** e^r − 1 for |r| ≤ ln2/2 in float32: r (1 + r/2! + … + r⁶/7!), Horner with fma. */
    public static float expm1ReducedFloat(float r) {
        float p = INV_FACTORIAL_F[7];
        for (int n = 6; n >= 1; n--) {
            p = Math.fma(p, r, INV_FACTORIAL_F[n]);
        }
        return p * r;
    }

    /** 2^k in float32 for −126 ≤ k ≤ 127, by its bits. */
    public static float twoToFloat(int k) {
        return Float.intBitsToFloat((k + 127) << 23);
    }

    /** 2^k for −1022 ≤ k ≤ 1023, by its bits. */
    public static double twoTo(long k) {
        return Double.longBitsToDouble((k + 1023) << 52);
    }
}
