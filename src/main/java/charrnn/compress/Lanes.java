package charrnn.compress;

import charrnn.numeric.IeeeMath;

/**
 * The two products the coding model is built from, each in an order nothing varies (neither the CPU, its
 * vector width, the JIT nor the thread count), so that the encoder and the decoder compute the same bits:
 * {@link #axpy}, a chain of fused multiply-adds per element (the elements are independent, so any
 * vectorization gives the same bits), and {@link #dot}, eight fused multiply-add chains over the elements
 * i ≡ k (mod 8), then a tail chain, summed in one fixed tree; and the softmax both the model and the mixer
 * end in.
 */
final class Lanes {
    private Lanes() {
    }

    /** y[yo, yo + n) += a · x[xo, xo + n), each element one fused multiply-add. */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] = Math.fma(a, x[xo + i], y[yo + i]);
        }
    }

    /** Σ a[ao + i] · b[bo + i] over i < n, in the fixed order the class comment gives. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            s0 = Math.fma(a[ao + i], b[bo + i], s0);
            s1 = Math.fma(a[ao + i + 1], b[bo + i + 1], s1);
            s2 = Math.fma(a[ao + i + 2], b[bo + i + 2], s2);
            s3 = Math.fma(a[ao + i + 3], b[bo + i + 3], s3);
            s4 = Math.fma(a[ao + i + 4], b[bo + i + 4], s4);
            s5 = Math.fma(a[ao + i + 5], b[bo + i + 5], s5);
            s6 = Math.fma(a[ao + i + 6], b[bo + i + 6], s6);
            s7 = Math.fma(a[ao + i + 7], b[bo + i + 7], s7);
        }
        float tail = 0;
        for (; i < n; i++) {
            tail = Math.fma(a[ao + i], b[bo + i], tail);
        }
        return (((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))) + tail;
    }

    /** {@code to} := softmax of {@code from}'s first n values (the largest subtracted before exp; in place if the same array). */
    static void softmax(float[] from, float[] to, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, from[k]);
        }
        float sum = 0;
        for (int k = 0; k < n; k++) {
            to[k] = IeeeMath.expFloat(from[k] - max);
            sum += to[k];
        }
        for (int k = 0; k < n; k++) {
            to[k] /= sum;
        }
    }
}
