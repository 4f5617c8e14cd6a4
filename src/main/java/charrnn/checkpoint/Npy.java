package charrnn.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * numpy's {@code .npy} format, version 1.0, for the 2-D float64 and float32 arrays of a checkpoint
 * (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html): a magic string, a
 * Python-literal header padded so the data starts at a multiple of 64 bytes, then the raw data.
 */
final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** The {@code .npy} bytes of a 2-D array, little-endian, C order. */
    static byte[] write(INDArray a) {
        return write(a, false);
    }

    /** The {@code .npy} bytes of an array, 1-D of its length when {@code vector}, else 2-D. */
    static byte[] write(INDArray a, boolean vector) {
        boolean isDouble = a.dataType() == DataType.DOUBLE;
        if (!isDouble && a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("only float64 and float32 arrays are saved, got " + a.dataType());
        }
        String header = vector
                ? String.format("{'descr': '%s', 'fortran_order': False, 'shape': (%d,), }",
                        isDouble ? "<f8" : "<f4", a.length())
                : String.format("{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }",
                        isDouble ? "<f8" : "<f4", a.rows(), a.columns());
        int unpadded = MAGIC.length + 2 + 2 + header.length() + 1;   // magic, version, length, header, '\n'
        header = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        int width = isDouble ? 8 : 4;
        ByteBuffer data = ByteBuffer.allocate((int) a.length() * width).order(ByteOrder.LITTLE_ENDIAN);
        if (!a.isView() && a.ordering() == 'c' && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            data.put(a.data().asNio().duplicate().limit(data.capacity()));   // the memory is already the data
        } else if (isDouble) {
            data.asDoubleBuffer().put(a.dup('c').data().asDouble());
        } else {
            data.asFloatBuffer().put(a.dup('c').data().asFloat());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length() + data.capacity() + 16);
        out.writeBytes(MAGIC);
        out.write(1);   // format version 1.0
        out.write(0);
        out.write(header.length() & 0xFF);
        out.write(header.length() >>> 8);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data.array());
        return out.toByteArray();
    }

    /** What a .npy's header says: where its values start, their width and byte order, its layout and shape. */
    record Header(int dataOffset, int width, ByteOrder order, boolean fortran, long[] shape) {
        /** The size of the whole .npy its header describes, in bytes. */
        long bytes() {
            return dataOffset + shape[0] * shape[1] * width;   // the shape's count is at most 2^28
        }
    }

    /**
     * Parses the magic and the header from the buffer's position (which it leaves at the first value), so
     * that a reader can learn the file's size before reading the values.
     */
    static Header header(String name, ByteBuffer in) {
        for (byte b : MAGIC) {
            if (in.remaining() == 0 || in.get() != b) {
                throw new CheckpointException(name + " is not a .npy array");
            }
        }
        if (in.remaining() < 4) {
            throw new CheckpointException(name + " is truncated");
        }
        int major = in.get() & 0xFF;
        in.get();
        int headerLength;
        if (major == 1) {
            headerLength = in.getShort() & 0xFFFF;
        } else if (major == 2 || major == 3) {
            headerLength = in.getInt();
        } else {
            throw new CheckpointException(name + " has .npy format version " + major + ", which is not supported");
        }
        if (headerLength < 0 || headerLength > in.remaining()) {
            throw new CheckpointException(name + " is truncated");
        }
        byte[] headerBytes = new byte[headerLength];
        in.get(headerBytes);
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeMatch = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeMatch.find()) {
            throw new CheckpointException(name + " has an unreadable .npy header: " + header.strip());
        }
        String kind = descr.group(2) + descr.group(3);
        int width;
        if (kind.equals("f8")) {
            width = 8;
        } else if (kind.equals("f4")) {
            width = 4;
        } else {
            throw new CheckpointException(name + " holds '" + descr.group(1) + kind
                    + "' values; a checkpoint holds float64 or float32");
        }
        ByteOrder order = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        long[] shape = parseShape(name, shapeMatch.group(1));
        return new Header(in.position(), width, order, fortran.group(1).equals("True"), shape);
    }

    /**
     * Reads a float64 or float32 array of one or two dimensions (a vector of n becomes n×1), in C or
     * Fortran order, format version 1, 2 or 3.
     */
    static INDArray read(String name, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Header h = header(name, in);
        int width = h.width();
        ByteOrder order = h.order();
        long[] shape = h.shape();
        long count = shape[0] * shape[1];
        if ((long) in.remaining() != count * width) {
            throw new CheckpointException(String.format("%s should hold %d values of %d bytes but has %d bytes",
                    name, count, width, in.remaining()));
        }
        in.order(order);
        double[] values = new double[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = width == 8 ? in.getDouble() : in.getFloat();
        }
        INDArray read;
        if (h.fortran()) {
            // Fortran order is the C order of the transpose
            read = Nd4j.create(values, new long[] {shape[1], shape[0]}, DataType.DOUBLE).transpose();
        } else {
            read = Nd4j.create(values, shape, DataType.DOUBLE);
        }
        return read.castTo(width == 8 ? DataType.DOUBLE : DataType.FLOAT).dup('c');
    }

    private static long[] parseShape(String name, String tuple) {
        String[] parts = tuple.split(",");
        java.math.BigInteger[] dims = {java.math.BigInteger.ONE, java.math.BigInteger.ONE};
        int n = 0;
        for (String p : parts) {
            if (p.isBlank()) {
                continue;
            }
            if (n == 2) {
                throw new CheckpointException(name + " has more than two dimensions: (" + tuple + ")");
            }
            try {
                dims[n++] = new java.math.BigInteger(p.strip());
            } catch (NumberFormatException e) {
                throw new CheckpointException(name + " has an unreadable shape: (" + tuple + ")");
            }
            if (dims[n - 1].signum() < 0) {
                throw new CheckpointException(name + " has a negative dimension: (" + tuple + ")");
            }
        }
        if (n == 0) {
            throw new CheckpointException(name + " is a scalar, not an array");
        }
        // exact: a shape such as (2**40, 2**40) must not wrap around to a small count
        // (a vector of n is the column n×1)
        if (dims[0].multiply(dims[1]).compareTo(java.math.BigInteger.valueOf(Integer.MAX_VALUE / 8)) > 0) {
            throw new CheckpointException(name + " is too large: (" + tuple + ")");
        }
        return new long[] {dims[0].longValueExact(), dims[1].longValueExact()};
    }
}
