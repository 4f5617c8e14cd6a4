package charrnn.numeric;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The memory of a float64 or float32 ND4J array on the CPU, for Java loops (get/put by flat index in
 * the array's own order, C or column-major; no JNI) and for direct BLAS calls (pointers to any element).
 * Every value goes through Java as a double.
 */
public final class NativeArray {
    public final INDArray array;
    public final boolean isDouble;
    private final ByteBuffer bytes;
    private final DoubleBuffer doubles;
    private final FloatBuffer floats;
    private final Pointer base;

    /** A C-order array (or a vector, the same in either order). */
    public NativeArray(INDArray array) {
        this(array, 'c');
    }

    /** An array in the given order, 'c' or 'f' (column-major), or a vector. */
    public NativeArray(INDArray array, char order) {
        if (array.isView() || array.offset() != 0 || array.elementWiseStride() != 1) {
            // a view's data().addressPointer() is its whole buffer's start, not the view's
            throw new IllegalArgumentException("direct BLAS needs an array with its own buffer");
        }
        if (array.ordering() != order && array.rows() != 1 && array.columns() != 1) {
            throw new IllegalArgumentException("expected an array in '" + order + "' order, got '"
                    + array.ordering() + "'");
        }
        if (array.dataType() != DataType.DOUBLE && array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("direct BLAS needs float64 or float32, got " + array.dataType());
        }
        this.array = array;
        this.isDouble = array.dataType() == DataType.DOUBLE;
        this.bytes = array.data().asNio().order(ByteOrder.nativeOrder());
        this.doubles = isDouble ? bytes.asDoubleBuffer() : null;
        this.floats = isDouble ? null : bytes.asFloatBuffer();
        this.base = isDouble ? new DoublePointer(array.data().addressPointer())
                : new FloatPointer(array.data().addressPointer());
    }

    public double get(int i) {
        return isDouble ? doubles.get(i) : floats.get(i);
    }

    public void put(int i, double v) {
        if (isDouble) {
            doubles.put(i, v);
        } else {
            floats.put(i, (float) v);
        }
    }

    public void add(int i, double v) {
        put(i, get(i) + v);
    }

    /** Fills with zero (one memset: a Java loop over a direct buffer is ten times slower). */
    public void zero() {
        Pointer.memset(base, 0, array.length() * (isDouble ? Double.BYTES : Float.BYTES));
    }

    /**
     * {@code n} elements from element {@code from} of this array into {@code to} from element {@code at}
     * (same type): one bulk copy. (Not {@code Pointer.memcpy}: it takes a positioned pointer's position
     * in bytes, not in elements.)
     */
    public void copyTo(int from, NativeArray to, int at, int n) {
        int width = isDouble ? Double.BYTES : Float.BYTES;
        ByteBuffer source = bytes.duplicate();
        source.limit((from + n) * width).position(from * width);
        ByteBuffer target = to.bytes.duplicate();
        target.position(at * width);
        target.put(source);
    }

    /** dst[0, n) := elements [from, from + n), as doubles. */
    public void read(int from, double[] dst, int n) {
        if (isDouble) {
            doubles.get(from, dst, 0, n);
            return;
        }
        if (VectorApi.AVAILABLE) {
            VectorMath.readFloats(bytes, from, dst, n);
            return;
        }
        float[] f = scratch(n);
        floats.get(from, f, 0, n);
        for (int i = 0; i < n; i++) {
            dst[i] = f[i];
        }
    }

    /** dst[0, n) := elements [from, from + n) of a float32 array. */
    public void read(int from, float[] dst, int n) {
        if (isDouble) {
            throw new IllegalStateException("a float64 array read as float32");
        }
        floats.get(from, dst, 0, n);
    }

    /** Elements [at, at + n) := src[0, n), rounded to float32 for a float array. */
    public void write(int at, double[] src, int n) {
        if (isDouble) {
            doubles.put(at, src, 0, n);
            return;
        }
        if (VectorApi.AVAILABLE) {
            VectorMath.writeFloats(bytes, at, src, n);
            return;
        }
        float[] f = scratch(n);
        for (int i = 0; i < n; i++) {
            f[i] = (float) src[i];
        }
        floats.put(at, f, 0, n);
    }

    /** One scratch array per thread for float32 reads and writes, shared by all arrays. */
    private static final ThreadLocal<float[][]> FLOAT_SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    private static float[] scratch(int n) {
        float[][] holder = FLOAT_SCRATCH.get();
        if (holder[0].length < n) {
            holder[0] = new float[n];
        }
        return holder[0];
    }

    public int length() {
        return (int) array.length();
    }

    /** The memory as bytes in the platform's order. */
    public ByteBuffer bytes() {
        return bytes;
    }

    public DoubleBuffer doubles() {
        return doubles;
    }

    public FloatBuffer floats() {
        return floats;
    }

    /**
     * A pointer to element {@code offset}, its own object: JavaCPP adds position × element size when
     * it passes a pointer to native code, so each pointer keeps the position it was made with.
     */
    public Pointer at(long offset) {
        if (offset == 0) {
            return base;
        }
        return isDouble ? new DoublePointer(base).position(offset) : new FloatPointer(base).position(offset);
    }
}
