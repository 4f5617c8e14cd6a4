package charrnn.optim;

import charrnn.numeric.IeeeMath;
import charrnn.numeric.NativeArray;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Elementwise clipping, min-char-rnn's guard against exploding gradients: every entry to [−limit, limit]. */
public final class Clip {
    private static final int CHUNK = 2048;
    private static final ThreadLocal<double[]> BUFFER = ThreadLocal.withInitial(() -> new double[CHUNK]);

    private Clip() {
    }

    /** Clips every entry of {@code d} to [−limit, limit] in place. */
    public static void clip(INDArray d, double limit) {
        clip(d, 1.0, limit);
    }

    /** Every entry of {@code d} := its value times {@code scale} (rounded as stored), clipped to [−limit, limit]. */
    public static void clip(INDArray d, double scale, double limit) {
        clip(d, scale, limit, 0, (int) d.length());
    }

    /** The same on elements [start, end) of {@code d} only. */
    public static void clip(INDArray d, double scale, double limit, int start, int end) {
        NativeArray a = new NativeArray(d, d.ordering());
        double[] x = BUFFER.get();
        for (int from = start; from < end; from += CHUNK) {
            int n = Math.min(CHUNK, end - from);
            a.read(from, x, n);
            if (scale != 1.0) {
                for (int i = 0; i < n; i++) {
                    x[i] *= scale;
                }
                if (!a.isDouble) {
                    IeeeMath.roundToFloat(x, 0, n);    // the scaled gradient as stored, then clipped
                }
            }
            for (int i = 0; i < n; i++) {
                x[i] = Math.max(Math.min(x[i], limit), -limit);
            }
            a.write(from, x, n);
        }
    }
}
