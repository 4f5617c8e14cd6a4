package charrnn.numeric;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowProduct}'s kernels on the Vector API: six rows of A by one panel of W (two vectors of
 * columns) at a time, twelve accumulators, each lane one element of C and its own chain of fused
 * multiply-adds over k in order, so that every element is computed as the scalar loop computes it. The
 * panel is contiguous (k-major), so W streams through the cache in order. Loaded only when the JVM has
 * the Vector API.
 */
final class VectorProduct {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    private VectorProduct() {
    }

    /** The columns of a float32 panel: two vectors. */
    static int floatPanel() {
        return 2 * FLOATS.length();
    }

    /** The columns of a float64 panel. */
    static int doublePanel() {
        return 2 * DOUBLES.length();
    }

    /** Rows [r0, r1) of C = A W, W packed by {@link RowProduct#pack}: the panels' columns; returns the columns done. */
    static int multiply(float[] a, int r0, int r1, int k, float[] w, int n, float[] c) {
        int lanes = FLOATS.length();
        int panel = 2 * lanes;
        int panels = n / panel;
        int six = r0 + (r1 - r0) / 6 * 6;
        for (int p = 0; p < panels; p++) {
            int base = p * panel * k;
            int column = p * panel;
            for (int r = r0; r < six; r += 6) {
                int a0 = r * k;
                FloatVector c00 = FloatVector.zero(FLOATS);
                FloatVector c01 = FloatVector.zero(FLOATS);
                FloatVector c10 = FloatVector.zero(FLOATS);
                FloatVector c11 = FloatVector.zero(FLOATS);
                FloatVector c20 = FloatVector.zero(FLOATS);
                FloatVector c21 = FloatVector.zero(FLOATS);
                FloatVector c30 = FloatVector.zero(FLOATS);
                FloatVector c31 = FloatVector.zero(FLOATS);
                FloatVector c40 = FloatVector.zero(FLOATS);
                FloatVector c41 = FloatVector.zero(FLOATS);
                FloatVector c50 = FloatVector.zero(FLOATS);
                FloatVector c51 = FloatVector.zero(FLOATS);
                for (int i = 0; i < k; i++) {
                    int at = base + i * panel;
                    FloatVector w0 = FloatVector.fromArray(FLOATS, w, at);
                    FloatVector w1 = FloatVector.fromArray(FLOATS, w, at + lanes);
                    FloatVector x = FloatVector.broadcast(FLOATS, a[a0 + i]);
                    c00 = x.fma(w0, c00);
                    c01 = x.fma(w1, c01);
                    x = FloatVector.broadcast(FLOATS, a[a0 + 1 * k + i]);
                    c10 = x.fma(w0, c10);
                    c11 = x.fma(w1, c11);
                    x = FloatVector.broadcast(FLOATS, a[a0 + 2 * k + i]);
                    c20 = x.fma(w0, c20);
                    c21 = x.fma(w1, c21);
                    x = FloatVector.broadcast(FLOATS, a[a0 + 3 * k + i]);
                    c30 = x.fma(w0, c30);
                    c31 = x.fma(w1, c31);
                    x = FloatVector.broadcast(FLOATS, a[a0 + 4 * k + i]);
                    c40 = x.fma(w0, c40);
                    c41 = x.fma(w1, c41);
                    x = FloatVector.broadcast(FLOATS, a[a0 + 5 * k + i]);
                    c50 = x.fma(w0, c50);
                    c51 = x.fma(w1, c51);
                }
                int o = r * n + column;
                c00.intoArray(c, o + 0 * n);
                c01.intoArray(c, o + 0 * n + lanes);
                c10.intoArray(c, o + 1 * n);
                c11.intoArray(c, o + 1 * n + lanes);
                c20.intoArray(c, o + 2 * n);
                c21.intoArray(c, o + 2 * n + lanes);
                c30.intoArray(c, o + 3 * n);
                c31.intoArray(c, o + 3 * n + lanes);
                c40.intoArray(c, o + 4 * n);
                c41.intoArray(c, o + 4 * n + lanes);
                c50.intoArray(c, o + 5 * n);
                c51.intoArray(c, o + 5 * n + lanes);
            }
            for (int r = six; r < r1; r++) {
                int a0 = r * k;
                FloatVector c00 = FloatVector.zero(FLOATS);
                FloatVector c01 = FloatVector.zero(FLOATS);
                for (int i = 0; i < k; i++) {
                    int at = base + i * panel;
                    FloatVector x = FloatVector.broadcast(FLOATS, a[a0 + i]);
                    c00 = x.fma(FloatVector.fromArray(FLOATS, w, at), c00);
                    c01 = x.fma(FloatVector.fromArray(FLOATS, w, at + lanes), c01);
                }
                c00.intoArray(c, r * n + column);
                c01.intoArray(c, r * n + column + lanes);
            }
        }
        return panels * panel;
    }

    /** Rows [r0, r1) of C = A W, W packed by {@link RowProduct#pack}: the panels' columns; returns the columns done. */
    static int multiply(double[] a, int r0, int r1, int k, double[] w, int n, double[] c) {
        int lanes = DOUBLES.length();
        int panel = 2 * lanes;
        int panels = n / panel;
        int six = r0 + (r1 - r0) / 6 * 6;
        for (int p = 0; p < panels; p++) {
            int base = p * panel * k;
            int column = p * panel;
            for (int r = r0; r < six; r += 6) {
                int a0 = r * k;
                DoubleVector c00 = DoubleVector.zero(DOUBLES);
                DoubleVector c01 = DoubleVector.zero(DOUBLES);
                DoubleVector c10 = DoubleVector.zero(DOUBLES);
                DoubleVector c11 = DoubleVector.zero(DOUBLES);
                DoubleVector c20 = DoubleVector.zero(DOUBLES);
                DoubleVector c21 = DoubleVector.zero(DOUBLES);
                DoubleVector c30 = DoubleVector.zero(DOUBLES);
                DoubleVector c31 = DoubleVector.zero(DOUBLES);
                DoubleVector c40 = DoubleVector.zero(DOUBLES);
                DoubleVector c41 = DoubleVector.zero(DOUBLES);
                DoubleVector c50 = DoubleVector.zero(DOUBLES);
                DoubleVector c51 = DoubleVector.zero(DOUBLES);
                for (int i = 0; i < k; i++) {
                    int at = base + i * panel;
                    DoubleVector w0 = DoubleVector.fromArray(DOUBLES, w, at);
                    DoubleVector w1 = DoubleVector.fromArray(DOUBLES, w, at + lanes);
                    DoubleVector x = DoubleVector.broadcast(DOUBLES, a[a0 + i]);
                    c00 = x.fma(w0, c00);
                    c01 = x.fma(w1, c01);
                    x = DoubleVector.broadcast(DOUBLES, a[a0 + 1 * k + i]);
                    c10 = x.fma(w0, c10);
                    c11 = x.fma(w1, c11);
                    x = DoubleVector.broadcast(DOUBLES, a[a0 + 2 * k + i]);
                    c20 = x.fma(w0, c20);
                    c21 = x.fma(w1, c21);
                    x = DoubleVector.broadcast(DOUBLES, a[a0 + 3 * k + i]);
                    c30 = x.fma(w0, c30);
                    c31 = x.fma(w1, c31);
                    x = DoubleVector.broadcast(DOUBLES, a[a0 + 4 * k + i]);
                    c40 = x.fma(w0, c40);
                    c41 = x.fma(w1, c41);
                    x = DoubleVector.broadcast(DOUBLES, a[a0 + 5 * k + i]);
                    c50 = x.fma(w0, c50);
                    c51 = x.fma(w1, c51);
                }
                int o = r * n + column;
                c00.intoArray(c, o + 0 * n);
                c01.intoArray(c, o + 0 * n + lanes);
                c10.intoArray(c, o + 1 * n);
                c11.intoArray(c, o + 1 * n + lanes);
                c20.intoArray(c, o + 2 * n);
                c21.intoArray(c, o + 2 * n + lanes);
                c30.intoArray(c, o + 3 * n);
                c31.intoArray(c, o + 3 * n + lanes);
                c40.intoArray(c, o + 4 * n);
                c41.intoArray(c, o + 4 * n + lanes);
                c50.intoArray(c, o + 5 * n);
                c51.intoArray(c, o + 5 * n + lanes);
            }
            for (int r = six; r < r1; r++) {
                int a0 = r * k;
                DoubleVector c00 = DoubleVector.zero(DOUBLES);
                DoubleVector c01 = DoubleVector.zero(DOUBLES);
                for (int i = 0; i < k; i++) {
                    int at = base + i * panel;
                    DoubleVector x = DoubleVector.broadcast(DOUBLES, a[a0 + i]);
                    c00 = x.fma(DoubleVector.fromArray(DOUBLES, w, at), c00);
                    c01 = x.fma(DoubleVector.fromArray(DOUBLES, w, at + lanes), c01);
                }
                c00.intoArray(c, r * n + column);
                c01.intoArray(c, r * n + column + lanes);
            }
        }
        return panels * panel;
    }
}
