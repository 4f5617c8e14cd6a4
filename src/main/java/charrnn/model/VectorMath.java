package charrnn.model;

import static charrnn.model.IeeeMath.EXP_MIN;
import static charrnn.model.IeeeMath.INV_FACTORIAL;
import static charrnn.model.IeeeMath.INV_LN2;
import static charrnn.model.IeeeMath.LN2_HI;
import static charrnn.model.IeeeMath.LN2_LO;
import static charrnn.model.IeeeMath.SHIFTER;
import static charrnn.model.IeeeMath.SHIFTER_BITS;
import static charrnn.model.IeeeMath.TANH_SATURATION;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link IeeeMath}'s exp and tanh several lanes at a time, step for step the same operations, so every
 * lane is bit-identical to the scalar function (measured 7× faster than the StrictMath-based loops they
 * replace: 3.4 against 26 µs for min-char-rnn's 2,500 tanh per window at H = 100). Loaded only when the
 * JVM has the incubating Vector API (see {@link BlasEngine#VECTORIZED}).
 */
final class VectorMath {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private VectorMath() {
    }

    /**
     * tanh in place on doubles [from, to) of {@code buf}, a whole number of vectors' worth.
     *
     * @return the index where it stopped; the caller does the rest with {@link IeeeMath#tanh}
     */
    static int tanh(ByteBuffer buf, int from, int to) {
        int bound = from + DOUBLES.loopBound(to - from);
        for (int i = from; i < bound; i += DOUBLES.length()) {
            int at = i * Double.BYTES;
            tanh(DoubleVector.fromByteBuffer(DOUBLES, buf, at, ORDER)).intoByteBuffer(buf, at, ORDER);
        }
        return bound;
    }

    /**
     * exp in place on a[0, n), a whole number of vectors' worth.
     *
     * @return the index where it stopped; the caller does the rest with {@link IeeeMath#exp}
     */
    static int exp(double[] a, int n) {
        int bound = DOUBLES.loopBound(n);
        for (int i = 0; i < bound; i += DOUBLES.length()) {
            exp(DoubleVector.fromArray(DOUBLES, a, i)).intoArray(a, i);
        }
        return bound;
    }

    static DoubleVector exp(DoubleVector x) {
        DoubleVector t = x.fma(broadcast(INV_LN2), broadcast(SHIFTER));
        DoubleVector k = t.sub(SHIFTER);
        DoubleVector r = k.neg().fma(broadcast(LN2_LO), k.neg().fma(broadcast(LN2_HI), x));
        DoubleVector scale = twoTo(t.viewAsIntegralLanes().sub(SHIFTER_BITS));
        DoubleVector e = scale.fma(expm1Reduced(r), scale);
        return e.blend(0.0, x.compare(VectorOperators.LT, EXP_MIN));
    }

    static DoubleVector tanh(DoubleVector x) {
        DoubleVector a = x.abs().min(TANH_SATURATION);
        DoubleVector x2 = a.add(a);
        DoubleVector t = x2.fma(broadcast(INV_LN2), broadcast(SHIFTER));
        DoubleVector k = t.sub(SHIFTER);
        DoubleVector r = k.neg().fma(broadcast(LN2_LO), k.neg().fma(broadcast(LN2_HI), x2));
        DoubleVector scale = twoTo(t.viewAsIntegralLanes().sub(SHIFTER_BITS));
        DoubleVector e = scale.fma(expm1Reduced(r), scale.sub(1.0));
        DoubleVector magnitude = e.div(e.add(2.0));                  // ≥ 0: its sign bit is clear
        LongVector sign = x.viewAsIntegralLanes().and(Long.MIN_VALUE);
        return magnitude.viewAsIntegralLanes().or(sign).viewAsFloatingLanes();   // copySign
    }

    private static DoubleVector expm1Reduced(DoubleVector r) {
        DoubleVector p = broadcast(INV_FACTORIAL[13]);
        for (int n = 12; n >= 1; n--) {
            p = p.fma(r, broadcast(INV_FACTORIAL[n]));
        }
        return p.mul(r);
    }

    private static DoubleVector twoTo(LongVector k) {
        return k.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
    }

    private static DoubleVector broadcast(double v) {
        return DoubleVector.broadcast(DOUBLES, v);
    }
}
