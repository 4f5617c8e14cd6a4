package charrnn.numeric;

import java.nio.ByteBuffer;

/**
 * Clip and Adagrad in one pass over raw memory (float64 or float32 in native byte order), for a kernel
 * that updates its parameters itself (the vanilla kernel, a range of an array at a time, on two threads):
 * {@code d = clip(d); mem += d²; θ += −lr · d / sqrt(mem + ε)}, ε = 1e-8, bit for bit charrnn.optim's Clip then
 * its Adagrad rule, which hands this loop to such a kernel. Several lanes at a time where the JVM has the
 * Vector API ({@link VectorAdagrad}).
 */
public final class FusedAdagrad {
    /** min-char-rnn's ε, inside the square root. */
    public static final double EPSILON = 1e-8;

    private FusedAdagrad() {
    }

    /** Elements [from, to) of one parameter, its gradient (left clipped) and its memory. */
    public static void update(boolean isDouble, ByteBuffer param, ByteBuffer d, ByteBuffer mem, int from, int to,
                              double clip, double lr) {
        if (isDouble) {
            int done = VectorApi.AVAILABLE ? VectorAdagrad.updateDoubles(param, d, mem, from, to, clip, lr) : from;
            for (int i = done; i < to; i++) {
                int at = i * Double.BYTES;
                double g = Math.max(-clip, Math.min(clip, d.getDouble(at)));
                d.putDouble(at, g);
                double m = mem.getDouble(at) + g * g;
                mem.putDouble(at, m);
                param.putDouble(at, param.getDouble(at) + -lr * g / Math.sqrt(m + EPSILON));
            }
        } else {
            float c = (float) clip;
            float rate = (float) -lr;
            float eps = (float) EPSILON;
            int done = VectorApi.AVAILABLE ? VectorAdagrad.updateFloats(param, d, mem, from, to, c, rate, eps) : from;
            for (int i = done; i < to; i++) {
                int at = i * Float.BYTES;
                float g = Math.max(-c, Math.min(c, d.getFloat(at)));
                d.putFloat(at, g);
                float m = mem.getFloat(at) + g * g;
                mem.putFloat(at, m);
                param.putFloat(at, param.getFloat(at) + rate * g / (float) Math.sqrt(m + eps));
            }
        }
    }
}
