package charrnn.numeric;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowProduct}'s kernels on the Vector API: four rows of A by two vectors of C's columns at a time,
 * each lane one element of C and its own chain of fused multiply-adds over k in order, so that every
 * element is computed as the scalar loop computes it. Loaded only when the JVM has the Vector API.
 */
final class VectorProduct {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    private VectorProduct() {
    }

    /** C[r, j] = Σ_k A[r, k] W[k, j] for rows [r0, r1): see {@link RowProduct#multiply(float[], int, int, float[], int, float[])}. */
    static int multiply(float[] a, int r0, int r1, int k, float[] w, int n, float[] c) {
        int step = 2 * FLOATS.length();
        int bound = n - n % step;
        int quads = r0 + (r1 - r0) / 4 * 4;
        for (int j = 0; j < bound; j += step) {          // a strip of W's columns stays in cache for all rows
            for (int r = r0; r < quads; r += 4) {
                int a0 = r * k;
                int a1 = a0 + k;
                int a2 = a1 + k;
                int a3 = a2 + k;
                FloatVector c00 = FloatVector.zero(FLOATS);
                FloatVector c01 = FloatVector.zero(FLOATS);
                FloatVector c10 = FloatVector.zero(FLOATS);
                FloatVector c11 = FloatVector.zero(FLOATS);
                FloatVector c20 = FloatVector.zero(FLOATS);
                FloatVector c21 = FloatVector.zero(FLOATS);
                FloatVector c30 = FloatVector.zero(FLOATS);
                FloatVector c31 = FloatVector.zero(FLOATS);
                for (int i = 0; i < k; i++) {
                    int at = i * n + j;
                    FloatVector w0 = FloatVector.fromArray(FLOATS, w, at);
                    FloatVector w1 = FloatVector.fromArray(FLOATS, w, at + FLOATS.length());
                    FloatVector x = FloatVector.broadcast(FLOATS, a[a0 + i]);
                    c00 = x.fma(w0, c00);
                    c01 = x.fma(w1, c01);
                    x = FloatVector.broadcast(FLOATS, a[a1 + i]);
                    c10 = x.fma(w0, c10);
                    c11 = x.fma(w1, c11);
                    x = FloatVector.broadcast(FLOATS, a[a2 + i]);
                    c20 = x.fma(w0, c20);
                    c21 = x.fma(w1, c21);
                    x = FloatVector.broadcast(FLOATS, a[a3 + i]);
                    c30 = x.fma(w0, c30);
                    c31 = x.fma(w1, c31);
                }
                int o = r * n + j;
                c00.intoArray(c, o);
                c01.intoArray(c, o + FLOATS.length());
                c10.intoArray(c, o + n);
                c11.intoArray(c, o + n + FLOATS.length());
                c20.intoArray(c, o + 2 * n);
                c21.intoArray(c, o + 2 * n + FLOATS.length());
                c30.intoArray(c, o + 3 * n);
                c31.intoArray(c, o + 3 * n + FLOATS.length());
            }
        }
        for (int r = quads; r < r1; r++) {
            int a0 = r * k;
            for (int j = 0; j < bound; j += step) {
                FloatVector c00 = FloatVector.zero(FLOATS);
                FloatVector c01 = FloatVector.zero(FLOATS);
                for (int i = 0; i < k; i++) {
                    int at = i * n + j;
                    FloatVector x = FloatVector.broadcast(FLOATS, a[a0 + i]);
                    c00 = x.fma(FloatVector.fromArray(FLOATS, w, at), c00);
                    c01 = x.fma(FloatVector.fromArray(FLOATS, w, at + FLOATS.length()), c01);
                }
                c00.intoArray(c, r * n + j);
                c01.intoArray(c, r * n + j + FLOATS.length());
            }
        }
        return bound;
    }

    /** The same in float64. */
    static int multiply(double[] a, int r0, int r1, int k, double[] w, int n, double[] c) {
        int step = 2 * DOUBLES.length();
        int bound = n - n % step;
        int quads = r0 + (r1 - r0) / 4 * 4;
        for (int j = 0; j < bound; j += step) {          // a strip of W's columns stays in cache for all rows
            for (int r = r0; r < quads; r += 4) {
                int a0 = r * k;
                int a1 = a0 + k;
                int a2 = a1 + k;
                int a3 = a2 + k;
                DoubleVector c00 = DoubleVector.zero(DOUBLES);
                DoubleVector c01 = DoubleVector.zero(DOUBLES);
                DoubleVector c10 = DoubleVector.zero(DOUBLES);
                DoubleVector c11 = DoubleVector.zero(DOUBLES);
                DoubleVector c20 = DoubleVector.zero(DOUBLES);
                DoubleVector c21 = DoubleVector.zero(DOUBLES);
                DoubleVector c30 = DoubleVector.zero(DOUBLES);
                DoubleVector c31 = DoubleVector.zero(DOUBLES);
                for (int i = 0; i < k; i++) {
                    int at = i * n + j;
                    DoubleVector w0 = DoubleVector.fromArray(DOUBLES, w, at);
                    DoubleVector w1 = DoubleVector.fromArray(DOUBLES, w, at + DOUBLES.length());
                    DoubleVector x = DoubleVector.broadcast(DOUBLES, a[a0 + i]);
                    c00 = x.fma(w0, c00);
                    c01 = x.fma(w1, c01);
                    x = DoubleVector.broadcast(DOUBLES, a[a1 + i]);
                    c10 = x.fma(w0, c10);
                    c11 = x.fma(w1, c11);
                    x = DoubleVector.broadcast(DOUBLES, a[a2 + i]);
                    c20 = x.fma(w0, c20);
                    c21 = x.fma(w1, c21);
                    x = DoubleVector.broadcast(DOUBLES, a[a3 + i]);
                    c30 = x.fma(w0, c30);
                    c31 = x.fma(w1, c31);
                }
                int o = r * n + j;
                c00.intoArray(c, o);
                c01.intoArray(c, o + DOUBLES.length());
                c10.intoArray(c, o + n);
                c11.intoArray(c, o + n + DOUBLES.length());
                c20.intoArray(c, o + 2 * n);
                c21.intoArray(c, o + 2 * n + DOUBLES.length());
                c30.intoArray(c, o + 3 * n);
                c31.intoArray(c, o + 3 * n + DOUBLES.length());
            }
        }
        for (int r = quads; r < r1; r++) {
            int a0 = r * k;
            for (int j = 0; j < bound; j += step) {
                DoubleVector c00 = DoubleVector.zero(DOUBLES);
                DoubleVector c01 = DoubleVector.zero(DOUBLES);
                for (int i = 0; i < k; i++) {
                    int at = i * n + j;
                    DoubleVector x = DoubleVector.broadcast(DOUBLES, a[a0 + i]);
                    c00 = x.fma(DoubleVector.fromArray(DOUBLES, w, at), c00);
                    c01 = x.fma(DoubleVector.fromArray(DOUBLES, w, at + DOUBLES.length()), c01);
                }
                c00.intoArray(c, r * n + j);
                c01.intoArray(c, r * n + j + DOUBLES.length());
            }
        }
        return bound;
    }
}
