package charrnn.numeric;

import static charrnn.numeric.IeeeMath.EXP_MIN;
import static charrnn.numeric.IeeeMath.EXP_MIN_F;
import static charrnn.numeric.IeeeMath.INV_FACTORIAL;
import static charrnn.numeric.IeeeMath.INV_FACTORIAL_F;
import static charrnn.numeric.IeeeMath.INV_LN2;
import static charrnn.numeric.IeeeMath.INV_LN2_F;
import static charrnn.numeric.IeeeMath.LN2_HI;
import static charrnn.numeric.IeeeMath.LN2_HI_F;
import static charrnn.numeric.IeeeMath.LN2_LO;
import static charrnn.numeric.IeeeMath.LN2_LO_F;
import static charrnn.numeric.IeeeMath.SHIFTER;
import static charrnn.numeric.IeeeMath.SHIFTER_BITS;
import static charrnn.numeric.IeeeMath.SHIFTER_F;
import static charrnn.numeric.IeeeMath.SHIFTER_F_BITS;
import static charrnn.numeric.IeeeMath.TANH_SATURATION;
import static charrnn.numeric.IeeeMath.TANH_SATURATION_F;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast engine's elementwise loops on float64 memory, several lanes at a time, each bit-identical
 * to {@code charrnn.model.VanillaKernel}'s scalar loop: lanewise +, −, ×, / and fma round exactly as the scalar operations
 * do, sums run in the same order, and exp and tanh are {@link IeeeMath}'s functions step for step
 * (3.4 µs for a window's 2,500 tanh at H = 100, against 26 µs for a StrictMath-based scalar tanh).
 * Loaded only when the JVM has the incubating Vector API (see {@link VectorApi#AVAILABLE}).
 */
public final class VectorMath {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    /** As many floats as {@link #DOUBLES} has lanes: the other side of a float32 ↔ float64 conversion. */
    private static final VectorSpecies<Float> HALF_FLOATS =
            VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private VectorMath() {
    }

    /** tanh in place on doubles [from, to) of {@code buf}. */
    public static void tanh(ByteBuffer buf, int from, int to) {
        int bound = from + DOUBLES.loopBound(to - from);
        for (int i = from; i < bound; i += DOUBLES.length()) {
            int at = i * Double.BYTES;
            tanh(DoubleVector.fromByteBuffer(DOUBLES, buf, at, ORDER)).intoByteBuffer(buf, at, ORDER);
        }
        for (int i = bound; i < to; i++) {
            buf.putDouble(i * Double.BYTES, IeeeMath.tanh(buf.getDouble(i * Double.BYTES)));
        }
    }

    /**
     * a[from, to) rounded to float32 and back, each lane as the cast {@code (double) (float) x} rounds it
     * (to nearest, ties to even): ten times the speed of the scalar cast loop, which the JIT leaves unvectorized.
     */
    public static void roundToFloat(double[] a, int from, int to) {
        int bound = from + DOUBLES.loopBound(to - from);
        int i = from;
        for (; i < bound; i += DOUBLES.length()) {
            DoubleVector.fromArray(DOUBLES, a, i).convertShape(VectorOperators.D2F, HALF_FLOATS, 0)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0).reinterpretAsDoubles().intoArray(a, i);
        }
        for (; i < to; i++) {
            a[i] = (float) a[i];
        }
    }

    /** dst[0, n) := src[from, from + n), each rounded as {@code (float) x}. */
    public static void toFloats(double[] src, int from, float[] dst, int n) {
        int bound = DOUBLES.loopBound(n);
        int i = 0;
        for (; i < bound; i += DOUBLES.length()) {
            DoubleVector.fromArray(DOUBLES, src, from + i).convertShape(VectorOperators.D2F, HALF_FLOATS, 0)
                    .reinterpretAsFloats().intoArray(dst, i);
        }
        for (; i < n; i++) {
            dst[i] = (float) src[from + i];
        }
    }

    /** dst[from, from + n) := src[0, n) widened to double (exact). */
    public static void toDoubles(float[] src, double[] dst, int from, int n) {
        int bound = DOUBLES.loopBound(n);
        int i = 0;
        for (; i < bound; i += DOUBLES.length()) {
            FloatVector.fromArray(HALF_FLOATS, src, i).convertShape(VectorOperators.F2D, DOUBLES, 0)
                    .reinterpretAsDoubles().intoArray(dst, from + i);
        }
        for (; i < n; i++) {
            dst[from + i] = src[i];
        }
    }

    /** dst[0, n) := the floats of {@code buf} from float {@code from} on, widened to double (exact). */
    public static void readFloats(ByteBuffer buf, int from, double[] dst, int n) {
        int bound = DOUBLES.loopBound(n);
        int i = 0;
        for (; i < bound; i += DOUBLES.length()) {
            FloatVector.fromByteBuffer(HALF_FLOATS, buf, (from + i) * Float.BYTES, ORDER)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0).reinterpretAsDoubles().intoArray(dst, i);
        }
        for (; i < n; i++) {
            dst[i] = buf.getFloat((from + i) * Float.BYTES);
        }
    }

    /** The floats of {@code buf} from float {@code at} on := src[0, n), each rounded as {@code (float) x}. */
    public static void writeFloats(ByteBuffer buf, int at, double[] src, int n) {
        int bound = DOUBLES.loopBound(n);
        int i = 0;
        for (; i < bound; i += DOUBLES.length()) {
            DoubleVector.fromArray(DOUBLES, src, i).convertShape(VectorOperators.D2F, HALF_FLOATS, 0)
                    .intoByteBuffer(buf, (at + i) * Float.BYTES, ORDER);
        }
        for (; i < n; i++) {
            buf.putFloat((at + i) * Float.BYTES, (float) src[i]);
        }
    }

    /**
     * The GRU's step backward for one stream's units j in [0, bound), {@code charrnn.model.FastGruLayer}'s scalar
     * loop lane by lane (the same operations in the same order, so the same bits); returns bound, where
     * the caller's scalar loop takes over. z holds r, z, n at a, a + H, a + 2H; u holds u_n + bn at a + 2H.
     */
    public static int gruBack(double[] z, double[] u, double[] hPrev, double[] dh, double[] dz, double[] du,
                       double[] dhn, int a, int c, int h) {
        int bound = DOUBLES.loopBound(h);
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1.0);
        for (int j = 0; j < bound; j += DOUBLES.length()) {
            DoubleVector r = DoubleVector.fromArray(DOUBLES, z, a + j);
            DoubleVector zz = DoubleVector.fromArray(DOUBLES, z, a + h + j);
            DoubleVector n = DoubleVector.fromArray(DOUBLES, z, a + 2 * h + j);
            DoubleVector d = DoubleVector.fromArray(DOUBLES, dh, c + j);
            DoubleVector dan = d.mul(one.sub(zz)).mul(one.sub(n.mul(n)));
            DoubleVector dar = dan.mul(DoubleVector.fromArray(DOUBLES, u, a + 2 * h + j)).mul(r).mul(one.sub(r));
            DoubleVector daz = d.mul(DoubleVector.fromArray(DOUBLES, hPrev, c + j).sub(n)).mul(zz).mul(one.sub(zz));
            dar.intoArray(dz, a + j);
            daz.intoArray(dz, a + h + j);
            dan.intoArray(dz, a + 2 * h + j);
            dar.intoArray(du, a + j);
            daz.intoArray(du, a + h + j);
            dan.mul(r).intoArray(du, a + 2 * h + j);
            d.mul(zz).intoArray(dhn, c + j);
        }
        return bound;
    }

    /** σ in place on a[from, to): {@link IeeeMath#sigmoid(double)} lane by lane. */
    public static void sigmoid(double[] a, int from, int to) {
        int bound = from + DOUBLES.loopBound(to - from);
        for (int i = from; i < bound; i += DOUBLES.length()) {
            sigmoid(DoubleVector.fromArray(DOUBLES, a, i)).intoArray(a, i);
        }
        for (int i = bound; i < to; i++) {
            a[i] = IeeeMath.sigmoid(a[i]);
        }
    }

    /** tanh in place on a[from, to). */
    public static void tanh(double[] a, int from, int to) {
        int bound = from + DOUBLES.loopBound(to - from);
        for (int i = from; i < bound; i += DOUBLES.length()) {
            tanh(DoubleVector.fromArray(DOUBLES, a, i)).intoArray(a, i);
        }
        for (int i = bound; i < to; i++) {
            a[i] = IeeeMath.tanh(a[i]);
        }
    }

    /** exp in place on a[from, to). */
    public static void exp(double[] a, int from, int to) {
        int bound = from + DOUBLES.loopBound(to - from);
        for (int i = from; i < bound; i += DOUBLES.length()) {
            exp(DoubleVector.fromArray(DOUBLES, a, i)).intoArray(a, i);
        }
        for (int i = bound; i < to; i++) {
            a[i] = IeeeMath.exp(a[i]);
        }
    }

    /** exp in place on a[0, n). */
    public static void exp(double[] a, int n) {
        int bound = DOUBLES.loopBound(n);
        for (int i = 0; i < bound; i += DOUBLES.length()) {
            exp(DoubleVector.fromArray(DOUBLES, a, i)).intoArray(a, i);
        }
        for (int i = bound; i < n; i++) {
            a[i] = IeeeMath.exp(a[i]);
        }
    }

    /**
     * Backprop through tanh for n entries: dhraw[i] = (1 − h[i]²) · dh[i], where h starts at double
     * {@code hFrom} of {@code h}, and dh and dhraw at double {@code from} of theirs.
     */
    public static void tanhGrad(ByteBuffer h, int hFrom, ByteBuffer dh, ByteBuffer dhraw, int from, int n) {
        int bound = DOUBLES.loopBound(n);
        DoubleVector one = broadcast(1.0);
        for (int i = 0; i < bound; i += DOUBLES.length()) {
            DoubleVector hv = DoubleVector.fromByteBuffer(DOUBLES, h, (hFrom + i) * Double.BYTES, ORDER);
            DoubleVector d = DoubleVector.fromByteBuffer(DOUBLES, dh, (from + i) * Double.BYTES, ORDER);
            one.sub(hv.mul(hv)).mul(d).intoByteBuffer(dhraw, (from + i) * Double.BYTES, ORDER);
        }
        for (int i = bound; i < n; i++) {
            double hi = h.getDouble((hFrom + i) * Double.BYTES);
            dhraw.putDouble((from + i) * Double.BYTES, (1 - hi * hi) * dh.getDouble((from + i) * Double.BYTES));
        }
    }

    /** out[o + j] = a[ia + j] + b[ib + j] for j in [0, n), indices in doubles; out may be a or b. */
    public static void add(ByteBuffer a, int ia, ByteBuffer b, int ib, ByteBuffer out, int o, int n) {
        int bound = DOUBLES.loopBound(n);
        for (int j = 0; j < bound; j += DOUBLES.length()) {
            DoubleVector.fromByteBuffer(DOUBLES, a, (ia + j) * Double.BYTES, ORDER)
                    .add(DoubleVector.fromByteBuffer(DOUBLES, b, (ib + j) * Double.BYTES, ORDER))
                    .intoByteBuffer(out, (o + j) * Double.BYTES, ORDER);
        }
        for (int j = bound; j < n; j++) {
            out.putDouble((o + j) * Double.BYTES,
                    a.getDouble((ia + j) * Double.BYTES) + b.getDouble((ib + j) * Double.BYTES));
        }
    }

    /** out[j] = a[ia + j] + b[ib + j] for j in [0, n), a and b indexed in doubles. */
    public static void add(ByteBuffer a, int ia, ByteBuffer b, int ib, double[] out, int n) {
        int bound = DOUBLES.loopBound(n);
        for (int j = 0; j < bound; j += DOUBLES.length()) {
            DoubleVector.fromByteBuffer(DOUBLES, a, (ia + j) * Double.BYTES, ORDER)
                    .add(DoubleVector.fromByteBuffer(DOUBLES, b, (ib + j) * Double.BYTES, ORDER)).intoArray(out, j);
        }
        for (int j = bound; j < n; j++) {
            out[j] = a.getDouble((ia + j) * Double.BYTES) + b.getDouble((ib + j) * Double.BYTES);
        }
    }

    /** out[c] = Σ_t m[t][c], summed in t order, for the (rows, cols) row-major doubles m. */
    public static void sumRows(ByteBuffer m, int rows, int cols, ByteBuffer out) {
        int bound = DOUBLES.loopBound(cols);
        for (int c = 0; c < bound; c += DOUBLES.length()) {
            DoubleVector sum = broadcast(0.0);
            for (int t = 0; t < rows; t++) {
                sum = sum.add(DoubleVector.fromByteBuffer(DOUBLES, m, (t * cols + c) * Double.BYTES, ORDER));
            }
            sum.intoByteBuffer(out, c * Double.BYTES, ORDER);
        }
        for (int c = bound; c < cols; c++) {
            double sum = 0;
            for (int t = 0; t < rows; t++) {
                sum += m.getDouble((t * cols + c) * Double.BYTES);
            }
            out.putDouble(c * Double.BYTES, sum);
        }
    }

    /**
     * p = softmax(y + b) into y's place, with y = doubles [from, from + n) of {@code logits} and b the
     * first n doubles of {@code bias}: the maximum subtracted before exp, the sum taken in index order (as
     * {@code charrnn.model.VanillaKernel}'s scalar loop does, so the result is bit-identical to it). {@code scratch} holds n.
     */
    public static void softmax(ByteBuffer logits, int from, ByteBuffer bias, double[] scratch, int n) {
        int bound = DOUBLES.loopBound(n);
        DoubleVector maxes = broadcast(Double.NEGATIVE_INFINITY);
        for (int i = 0; i < bound; i += DOUBLES.length()) {
            DoubleVector y = DoubleVector.fromByteBuffer(DOUBLES, logits, (from + i) * Double.BYTES, ORDER)
                    .add(DoubleVector.fromByteBuffer(DOUBLES, bias, i * Double.BYTES, ORDER));
            y.intoArray(scratch, i);
            maxes = maxes.max(y);
        }
        double max = maxes.reduceLanes(VectorOperators.MAX);   // max is exact: any order gives the same
        for (int i = bound; i < n; i++) {
            scratch[i] = logits.getDouble((from + i) * Double.BYTES) + bias.getDouble(i * Double.BYTES);
            max = Math.max(max, scratch[i]);
        }
        for (int i = 0; i < bound; i += DOUBLES.length()) {
            exp(DoubleVector.fromArray(DOUBLES, scratch, i).sub(max)).intoArray(scratch, i);
        }
        for (int i = bound; i < n; i++) {
            scratch[i] = IeeeMath.exp(scratch[i] - max);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += scratch[i];
        }
        for (int i = 0; i < bound; i += DOUBLES.length()) {
            DoubleVector.fromArray(DOUBLES, scratch, i).div(sum)
                    .intoByteBuffer(logits, (from + i) * Double.BYTES, ORDER);
        }
        for (int i = bound; i < n; i++) {
            logits.putDouble((from + i) * Double.BYTES, scratch[i] / sum);
        }
    }

    /**
     * σ in place on a[0, n) in float32, {@link IeeeMath#sigmoidFloat(float)} lane by lane, in the lanes of the
     * per-step product's ({@link VectorProduct}): float vectors of a second shape in the same JVM cost C2 its
     * intrinsics for both (the product ran 8× slower when these ran on half-width vectors).
     */
    public static void sigmoidFloat(float[] a, int n) {
        int bound = FLOATS.loopBound(n);
        for (int i = 0; i < bound; i += FLOATS.length()) {
            sigmoid(FloatVector.fromArray(FLOATS, a, i)).intoArray(a, i);
        }
        for (int i = bound; i < n; i++) {
            a[i] = IeeeMath.sigmoidFloat(a[i]);
        }
    }

    /** e^x in place on a[0, n) in float32: {@link IeeeMath#expFloat(float)} lane by lane. */
    public static void expFloat(float[] a, int n) {
        int bound = FLOATS.loopBound(n);
        for (int i = 0; i < bound; i += FLOATS.length()) {
            exp(FloatVector.fromArray(FLOATS, a, i)).intoArray(a, i);
        }
        for (int i = bound; i < n; i++) {
            a[i] = IeeeMath.expFloat(a[i]);
        }
    }

    /** tanh in place on a[0, n) in float32: {@link IeeeMath#tanhFloat(float)} lane by lane. */
    public static void tanhFloat(float[] a, int n) {
        int bound = FLOATS.loopBound(n);
        for (int i = 0; i < bound; i += FLOATS.length()) {
            tanh(FloatVector.fromArray(FLOATS, a, i)).intoArray(a, i);
        }
        for (int i = bound; i < n; i++) {
            a[i] = IeeeMath.tanhFloat(a[i]);
        }
    }

    public static FloatVector exp(FloatVector x) {
        FloatVector t = x.fma(floats(INV_LN2_F), floats(SHIFTER_F));
        FloatVector k = t.sub(SHIFTER_F);
        FloatVector r = k.neg().fma(floats(LN2_LO_F), k.neg().fma(floats(LN2_HI_F), x));
        FloatVector scale = twoTo((IntVector) t.viewAsIntegralLanes().sub(SHIFTER_F_BITS));
        FloatVector e = scale.fma(expm1Reduced(r), scale);
        return e.blend(0f, x.compare(VectorOperators.LT, EXP_MIN_F));
    }

    public static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector onePlus = e.add(1f);
        FloatVector positive = floats(1f).div(onePlus);
        return positive.blend(e.div(onePlus), x.compare(VectorOperators.LT, 0f));
    }

    public static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs().min(TANH_SATURATION_F);
        FloatVector x2 = a.add(a);
        FloatVector t = x2.fma(floats(INV_LN2_F), floats(SHIFTER_F));
        FloatVector k = t.sub(SHIFTER_F);
        FloatVector r = k.neg().fma(floats(LN2_LO_F), k.neg().fma(floats(LN2_HI_F), x2));
        FloatVector scale = twoTo((IntVector) t.viewAsIntegralLanes().sub(SHIFTER_F_BITS));
        FloatVector e = scale.fma(expm1Reduced(r), scale.sub(1f));
        FloatVector magnitude = e.div(e.add(2f));                    // ≥ 0: its sign bit is clear
        IntVector sign = (IntVector) x.viewAsIntegralLanes().and(Integer.MIN_VALUE);
        return (FloatVector) magnitude.viewAsIntegralLanes().or(sign).viewAsFloatingLanes();   // copySign
    }

    private static FloatVector expm1Reduced(FloatVector r) {
        FloatVector p = floats(INV_FACTORIAL_F[7]);
        for (int n = 6; n >= 1; n--) {
            p = p.fma(r, floats(INV_FACTORIAL_F[n]));
        }
        return p.mul(r);
    }

    private static FloatVector twoTo(IntVector k) {
        return (FloatVector) k.add(127).lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
    }

    private static FloatVector floats(float v) {
        return FloatVector.broadcast(FLOATS, v);
    }

    public static DoubleVector exp(DoubleVector x) {
        DoubleVector t = x.fma(broadcast(INV_LN2), broadcast(SHIFTER));
        DoubleVector k = t.sub(SHIFTER);
        DoubleVector r = k.neg().fma(broadcast(LN2_LO), k.neg().fma(broadcast(LN2_HI), x));
        DoubleVector scale = twoTo(t.viewAsIntegralLanes().sub(SHIFTER_BITS));
        DoubleVector e = scale.fma(expm1Reduced(r), scale);
        return e.blend(0.0, x.compare(VectorOperators.LT, EXP_MIN));
    }

    /** 1 / (1 + e^{−x}) for x ≥ 0, e^x / (1 + e^x) below: both from e = e^{−|x|}, as the scalar does. */
    public static DoubleVector sigmoid(DoubleVector x) {
        DoubleVector e = exp(x.abs().neg());
        DoubleVector onePlus = e.add(1.0);
        DoubleVector positive = broadcast(1.0).div(onePlus);
        return positive.blend(e.div(onePlus), x.compare(VectorOperators.LT, 0.0));
    }

    public static DoubleVector tanh(DoubleVector x) {
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
