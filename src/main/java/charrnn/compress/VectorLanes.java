package charrnn.compress;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Lanes}' products on the Vector API, each giving the bits of the scalar loop: a lane of
 * {@link #axpy} and {@link #gemv} is one element's chain of fused multiply-adds in the rows' order, and
 * {@link #dot}'s sixteen chains are the lanes of one 512-bit vector (or of two 256-bit ones, or four
 * 128-bit ones), summed in the scalar loop's tree. The vector width is the CPU's preferred one, or the one the system property
 * {@value Lanes#WIDTH_PROPERTY} names (128, 256 or 512 bits), which the tests use to compare widths.
 * Loaded only when the JVM has the Vector API.
 */
final class VectorLanes {
    static final VectorSpecies<Float> FLOATS = species(Integer.getInteger(Lanes.WIDTH_PROPERTY, -1));

    private VectorLanes() {
    }

    private static VectorSpecies<Float> species(int bits) {
        if (bits == 128 || bits == 256 || bits == 512) {
            return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
        }
        return FloatVector.SPECIES_PREFERRED.length() >= 4 ? FloatVector.SPECIES_PREFERRED
                : FloatVector.SPECIES_128;
    }

    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector va = FloatVector.broadcast(FLOATS, a);
        int lanes = FLOATS.length();
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            va.fma(FloatVector.fromArray(FLOATS, x, xo + i), FloatVector.fromArray(FLOATS, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(a, x[xo + i], y[yo + i]);
        }
    }

    static void gemv(float[] x, int xo, int rows, float[] w, int wo, int n, float[] y, int yo) {
        int lanes = FLOATS.length();
        int i = 0;
        for (; i + 4 * lanes <= n; i += 4 * lanes) {
            FloatVector y0 = FloatVector.fromArray(FLOATS, y, yo + i);
            FloatVector y1 = FloatVector.fromArray(FLOATS, y, yo + i + lanes);
            FloatVector y2 = FloatVector.fromArray(FLOATS, y, yo + i + 2 * lanes);
            FloatVector y3 = FloatVector.fromArray(FLOATS, y, yo + i + 3 * lanes);
            for (int r = 0; r < rows; r++) {
                FloatVector a = FloatVector.broadcast(FLOATS, x[xo + r]);
                int at = wo + r * n + i;
                y0 = a.fma(FloatVector.fromArray(FLOATS, w, at), y0);
                y1 = a.fma(FloatVector.fromArray(FLOATS, w, at + lanes), y1);
                y2 = a.fma(FloatVector.fromArray(FLOATS, w, at + 2 * lanes), y2);
                y3 = a.fma(FloatVector.fromArray(FLOATS, w, at + 3 * lanes), y3);
            }
            y0.intoArray(y, yo + i);
            y1.intoArray(y, yo + i + lanes);
            y2.intoArray(y, yo + i + 2 * lanes);
            y3.intoArray(y, yo + i + 3 * lanes);
        }
        for (; i + lanes <= n; i += lanes) {
            FloatVector y0 = FloatVector.fromArray(FLOATS, y, yo + i);
            for (int r = 0; r < rows; r++) {
                y0 = FloatVector.broadcast(FLOATS, x[xo + r]).fma(FloatVector.fromArray(FLOATS, w, wo + r * n + i), y0);
            }
            y0.intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            float s = y[yo + i];
            for (int r = 0; r < rows; r++) {
                s = Math.fma(x[xo + r], w[wo + r * n + i], s);
            }
            y[yo + i] = s;
        }
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n, float[] chains) {
        int full = n / Lanes.CHAINS * Lanes.CHAINS;          // the elements the chains take; the rest: the tail
        for (int k = 0; k < Lanes.CHAINS; k += FLOATS.length()) {   // chains k … k + lanes − 1 as one vector
            FloatVector s = FloatVector.zero(FLOATS);
            for (int j = k; j < full; j += Lanes.CHAINS) {
                s = FloatVector.fromArray(FLOATS, a, ao + j).fma(FloatVector.fromArray(FLOATS, b, bo + j), s);
            }
            s.intoArray(chains, k);
        }
        float tail = 0;
        for (int i = full; i < n; i++) {
            tail = Math.fma(a[ao + i], b[bo + i], tail);
        }
        return Lanes.tree(chains) + tail;
    }

    /** {@link Lanes#adam} on the vectors' share of [from, to); returns where the scalar tail begins. */
    static int adam(float[] theta, float[] into, float[] grad, float[] m, float[] v, int from, int to, float rate,
                    float c1, float c2) {
        int lanes = FLOATS.length();
        FloatVector clip = FloatVector.broadcast(FLOATS, Lanes.ADAM_CLIP);
        FloatVector negativeClip = FloatVector.broadcast(FLOATS, -Lanes.ADAM_CLIP);
        FloatVector beta1 = FloatVector.broadcast(FLOATS, Lanes.BETA1);
        FloatVector rest1 = FloatVector.broadcast(FLOATS, 1 - Lanes.BETA1);
        FloatVector beta2 = FloatVector.broadcast(FLOATS, Lanes.BETA2);
        FloatVector rest2 = FloatVector.broadcast(FLOATS, 1 - Lanes.BETA2);
        FloatVector vc1 = FloatVector.broadcast(FLOATS, c1);
        FloatVector vc2 = FloatVector.broadcast(FLOATS, c2);
        FloatVector vrate = FloatVector.broadcast(FLOATS, rate);
        FloatVector epsilon = FloatVector.broadcast(FLOATS, Lanes.EPSILON);
        int i = from;
        for (; i + lanes <= to; i += lanes) {
            FloatVector d = FloatVector.fromArray(FLOATS, grad, i).min(clip).max(negativeClip);
            FloatVector mi = FloatVector.fromArray(FLOATS, m, i).mul(beta1).add(d.mul(rest1));
            FloatVector vi = FloatVector.fromArray(FLOATS, v, i).mul(beta2).add(d.mul(rest2).mul(d));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector step = mi.div(vc1).mul(vrate).div(vi.div(vc2).sqrt().add(epsilon));
            FloatVector.fromArray(FLOATS, theta, i).sub(step).intoArray(into, i);
        }
        return i;
    }
}
