package charrnn.numeric;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Clip + Adagrad several lanes at a time with the incubating Vector API (3–4× the scalar loop, whose
 * square root and division leave the CPU's vector units idle). Only lanewise +, ×, /, √, min and max,
 * which IEEE 754 rounds exactly, so every value is bit-identical to the scalar loop's. Loaded only when
 * the JVM runs with {@code --add-modules jdk.incubator.vector} (see {@link charrnn.numeric.VectorApi#AVAILABLE}).
 */
final class VectorAdagrad {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private VectorAdagrad() {
    }

    /**
     * Updates elements from {@code from} on, a whole number of vectors' worth, short of {@code to}.
     *
     * @return the index where it stopped; the caller does the rest
     */
    static int updateDoubles(ByteBuffer param, ByteBuffer d, ByteBuffer mem, int from, int to, double clip,
                             double lr) {
        int bound = from + DOUBLES.loopBound(to - from);
        for (int i = from; i < bound; i += DOUBLES.length()) {
            int at = i * Double.BYTES;
            DoubleVector g = DoubleVector.fromByteBuffer(DOUBLES, d, at, ORDER).min(clip).max(-clip);
            g.intoByteBuffer(d, at, ORDER);
            DoubleVector m = DoubleVector.fromByteBuffer(DOUBLES, mem, at, ORDER).add(g.mul(g));
            m.intoByteBuffer(mem, at, ORDER);
            DoubleVector p = DoubleVector.fromByteBuffer(DOUBLES, param, at, ORDER);
            p.add(g.mul(-lr).div(m.add(FusedAdagrad.EPSILON).sqrt())).intoByteBuffer(param, at, ORDER);
        }
        return bound;
    }

    static int updateFloats(ByteBuffer param, ByteBuffer d, ByteBuffer mem, int from, int to, float clip, float rate,
                            float eps) {
        int bound = from + FLOATS.loopBound(to - from);
        for (int i = from; i < bound; i += FLOATS.length()) {
            int at = i * Float.BYTES;
            FloatVector g = FloatVector.fromByteBuffer(FLOATS, d, at, ORDER).min(clip).max(-clip);
            g.intoByteBuffer(d, at, ORDER);
            FloatVector m = FloatVector.fromByteBuffer(FLOATS, mem, at, ORDER).add(g.mul(g));
            m.intoByteBuffer(mem, at, ORDER);
            FloatVector p = FloatVector.fromByteBuffer(FLOATS, param, at, ORDER);
            p.add(g.mul(rate).div(m.add(eps).sqrt())).intoByteBuffer(param, at, ORDER);
        }
        return bound;
    }
}
