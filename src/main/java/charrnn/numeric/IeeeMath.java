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

    static {
        double factorial = 1;
        for (int n = 0; n < INV_FACTORIAL.length; n++) {
            factorial *= Math.max(1, n);
            INV_FACTORIAL[n] = 1.0 / factorial;
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

    /** 2^k for −1022 ≤ k ≤ 1023, by its bits. */
    public static double twoTo(long k) {
        return Double.longBitsToDouble((k + 1023) << 52);
    }
}
