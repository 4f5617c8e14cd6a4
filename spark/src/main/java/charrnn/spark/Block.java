package charrnn.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The raw values of one array in C order, float32 or float64 as the model computes, as Spark ships them
 * (ND4J's arrays live off the Java heap and do not serialize). Copies in and out are exact. On the wire a
 * block is its values' bytes in one byte[] ({@link Wire}): Java serialization writes a byte[] as it is,
 * where it writes a float[] value by value (a round of H = 512's 51 MB spent most of its time there).
 */
final class Block implements Serializable {
    private static final long serialVersionUID = 2L;

    final float[] f;    // float32 values, or null
    final double[] d;   // float64 values, or null

    private Block(float[] f, double[] d) {
        this.f = f;
        this.d = d;
    }

    /** The values of {@code a} in C order. */
    static Block of(INDArray a) {
        INDArray c = a.ordering() == 'c' && !a.isView() && a.offset() == 0 ? a : a.dup('c');
        return a.dataType() == DataType.DOUBLE ? new Block(null, c.data().asDouble())
                : new Block(c.data().asFloat(), null);
    }

    int length() {
        return f != null ? f.length : d.length;
    }

    /** Value i. */
    double get(int i) {
        return f != null ? f[i] : d[i];
    }

    /** These values in float64. */
    double[] asDoubles() {
        if (d != null) {
            return d.clone();
        }
        double[] x = new double[f.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = f[i];
        }
        return x;
    }

    /** {@code values} stored in this block's precision (float32 rounds each once). */
    Block like(double[] values) {
        if (d != null) {
            return new Block(null, values);
        }
        float[] x = new float[values.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) values[i];
        }
        return new Block(x, null);
    }

    /** A (rows, columns) C-order array of these values. */
    INDArray toArray(long rows, long columns) {
        return f != null ? Nd4j.create(f, new long[] {rows, columns}, 'c')
                : Nd4j.create(d, new long[] {rows, columns}, 'c');
    }

    /** Rows [from, to) of these values as a matrix of {@code columns} columns. */
    Block rows(int from, int to, int columns) {
        int a = from * columns;
        int b = to * columns;
        return f != null ? new Block(java.util.Arrays.copyOfRange(f, a, b), null)
                : new Block(null, java.util.Arrays.copyOfRange(d, a, b));
    }

    /** Rows [from, from + part's rows) := {@code part}. */
    void setRows(int from, Block part, int columns) {
        if (f != null) {
            System.arraycopy(part.f, 0, f, from * columns, part.f.length);
        } else {
            System.arraycopy(part.d, 0, d, from * columns, part.d.length);
        }
    }

    /** this + other, elementwise, in the values' own precision. */
    Block plus(Block other) {
        if (f != null) {
            float[] s = new float[f.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = f[i] + other.f[i];
            }
            return new Block(s, null);
        }
        double[] s = new double[d.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = d[i] + other.d[i];
        }
        return new Block(null, s);
    }

    /** this / n, elementwise, in the values' own precision. */
    Block dividedBy(int n) {
        if (f != null) {
            float[] q = new float[f.length];
            for (int i = 0; i < q.length; i++) {
                q[i] = f[i] / n;
            }
            return new Block(q, null);
        }
        double[] q = new double[d.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = d[i] / n;
        }
        return new Block(null, q);
    }

    /** What Java serialization writes instead of this block. */
    private Object writeReplace() {
        ByteBuffer bytes = ByteBuffer.allocate((int) bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (f != null) {
            bytes.asFloatBuffer().put(f);
        } else {
            bytes.asDoubleBuffer().put(d);
        }
        return new Wire(f != null, bytes.array());
    }

    /** A block as it travels: float32 or not, and its values' bytes, little-endian. */
    private record Wire(boolean single, byte[] bytes) implements Serializable {
        private Object readResolve() {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (single) {
                float[] f = new float[bytes.length / 4];
                b.asFloatBuffer().get(f);
                return new Block(f, null);
            }
            double[] d = new double[bytes.length / 8];
            b.asDoubleBuffer().get(d);
            return new Block(null, d);
        }
    }

    /** The bytes these values take. */
    long bytes() {
        return f != null ? 4L * f.length : 8L * d.length;
    }
}
