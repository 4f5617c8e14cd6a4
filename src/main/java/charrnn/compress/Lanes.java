package charrnn.compress;

import charrnn.numeric.IeeeMath;
import charrnn.numeric.VectorApi;

/**
 * The products the coding model is built from, each in an order nothing varies (neither the CPU, its
 * vector width, the JIT nor the thread count), so that the encoder and the decoder compute the same bits:
 * {@link #axpy} and {@link #gemv}, a chain of fused multiply-adds per element in the rows' order (the
 * elements are independent, so any vectorization gives the same bits), and {@link #dot}, sixteen fused
 * multiply-add chains over the elements i ≡ k (mod 16), then a tail chain, summed in one fixed tree; and the
 * softmax both the model and the mixer end in. With the Vector API the products run in {@link VectorLanes}
 * (the same bits), else in the scalar loops here.
 */
final class Lanes {
    /** The system property that forces a vector width in bits (128, 256 or 512), or 0 for the scalar loops. */
    static final String WIDTH_PROPERTY = "charrnn.compress.vectorBits";
    private static final boolean VECTOR = VectorApi.AVAILABLE && Integer.getInteger(WIDTH_PROPERTY, -1) != 0;

    private Lanes() {
    }

    /** The width the products run in: "scalar" or the vector's bits (for the tests and the bench). */
    static String width() {
        return VECTOR ? VectorLanes.FLOATS.vectorBitSize() + "-bit vectors" : "scalar";
    }

    /** y[yo, yo + n) += a · x[xo, xo + n), each element one fused multiply-add. */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        if (VECTOR) {
            VectorLanes.axpy(a, x, xo, y, yo, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[yo + i] = Math.fma(a, x[xo + i], y[yo + i]);
        }
    }

    /**
     * y[yo, yo + n) += Σ_r x[xo + r] · w[wo + r·n, wo + r·n + n) over r < rows, in the order of r: the
     * bits of {@link #axpy} for each row in turn (y += xᵀW, W's rows of n consecutive floats).
     */
    static void gemv(float[] x, int xo, int rows, float[] w, int wo, int n, float[] y, int yo) {
        if (VECTOR) {
            VectorLanes.gemv(x, xo, rows, w, wo, n, y, yo);
            return;
        }
        for (int r = 0; r < rows; r++) {
            axpy(x[xo + r], w, wo + r * n, y, yo, n);
        }
    }

    /**
     * Σ a[ao + i] · b[bo + i] over i < n, in the fixed order the class comment gives; {@code chains} (CHAINS
     * floats) holds the chains' sums on the way, so that a call allocates nothing.
     */
    static float dot(float[] a, int ao, float[] b, int bo, int n, float[] chains) {
        if (VECTOR) {
            return VectorLanes.dot(a, ao, b, bo, n, chains);
        }
        java.util.Arrays.fill(chains, 0f);
        int i = 0;
        for (; i + CHAINS <= n; i += CHAINS) {
            for (int k = 0; k < CHAINS; k++) {
                chains[k] = Math.fma(a[ao + i + k], b[bo + i + k], chains[k]);
            }
        }
        float tail = 0;
        for (; i < n; i++) {
            tail = Math.fma(a[ao + i], b[bo + i], tail);
        }
        return tree(chains) + tail;
    }

    /** The dot product's chains: as many as the widest vectors have float lanes. */
    static final int CHAINS = 16;

    /** The dot product's CHAINS sums added in its fixed tree, in place: pairs, then pairs of pairs, and so on. */
    static float tree(float[] s) {
        for (int n = CHAINS / 2; n >= 1; n /= 2) {
            for (int k = 0; k < n; k++) {
                s[k] = s[2 * k] + s[2 * k + 1];
            }
        }
        return s[0];
    }

    /**
     * Adam on parameters [from, to): each gradient entry clipped to ±ADAM_CLIP, then m and v moved and
     * θ' = θ − lr · (m / c1) / (√(v / c2) + ε), every operation rounded as written (no fused steps); θ is read
     * from {@code theta} and θ' written to {@code into} (the same array or another).
     */
    static void adam(float[] theta, float[] into, float[] grad, float[] m, float[] v, int from, int to, float rate,
                     float c1, float c2) {
        int i = from;
        if (VECTOR) {
            i = VectorLanes.adam(theta, into, grad, m, v, from, to, rate, c1, c2);
        }
        for (; i < to; i++) {
            float d = Math.max(-ADAM_CLIP, Math.min(ADAM_CLIP, grad[i]));
            m[i] = BETA1 * m[i] + (1 - BETA1) * d;
            v[i] = BETA2 * v[i] + (1 - BETA2) * d * d;
            float mHat = m[i] / c1;
            float vHat = v[i] / c2;
            into[i] = theta[i] - rate * mHat / ((float) Math.sqrt(vHat) + EPSILON);
        }
    }

    static final float ADAM_CLIP = 5f;
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    /** {@code to} := softmax of {@code from}'s first n values (the largest subtracted before exp; in place if the same array). */
    static void softmax(float[] from, float[] to, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, from[k]);
        }
        for (int k = 0; k < n; k++) {
            to[k] = from[k] - max;
        }
        if (VECTOR) {
            charrnn.numeric.VectorMath.expFloat(to, n);
        } else {
            for (int k = 0; k < n; k++) {
                to[k] = IeeeMath.expFloat(to[k]);
            }
        }
        float sum = 0;
        for (int k = 0; k < n; k++) {
            sum += to[k];
        }
        for (int k = 0; k < n; k++) {
            to[k] /= sum;
        }
    }
}
