package charrnn.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
    private static final Pattern OBJECTS = Pattern.compile("'descr'\\s*:\\s*'\\|O'");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** The {@code .npy} bytes of a 2-D array, little-endian, C order. */
    static byte[] write(INDArray a) {
        return write(a, false);
    }

    /** The {@code .npy} bytes of an array, 1-D of its length when {@code vector}, else 2-D. */
    static byte[] write(INDArray a, boolean vector) {
        ByteBuffer data = data(a);
        byte[] header = header(a, vector);
        byte[] out = java.util.Arrays.copyOf(header, header.length + data.remaining());
        data.get(out, header.length, data.remaining());
        return out;
    }

    /**
     * The magic, version and header of an array's {@code .npy}, padded so that the values start at a
     * multiple of 64 bytes: little-endian, C order, 1-D of its length when {@code vector}, else 2-D.
     */
    static byte[] header(INDArray a, boolean vector) {
        boolean isDouble = requireFloat(a);
        String header = vector
                ? String.format("{'descr': '%s', 'fortran_order': False, 'shape': (%d,), }",
                        isDouble ? "<f8" : "<f4", a.length())
                : String.format("{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }",
                        isDouble ? "<f8" : "<f4", a.rows(), a.columns());
        int unpadded = MAGIC.length + 2 + 2 + header.length() + 1;   // magic, version, length, header, '\n'
        header = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAGIC.length + 4 + header.length());
        out.writeBytes(MAGIC);
        out.write(1);   // format version 1.0
        out.write(0);
        out.write(header.length() & 0xFF);
        out.write(header.length() >>> 8);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * The array's values as a {@code .npy} stores them, little-endian in C order: a view of the array's
     * own memory when that already is the data (no copy on the Java heap), else a copy.
     */
    static ByteBuffer data(INDArray a) {
        boolean isDouble = requireFloat(a);
        int bytes = Math.toIntExact(a.length() * (isDouble ? 8 : 4));
        if (!a.isView() && a.ordering() == 'c' && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            return a.data().asNio().duplicate().position(0).limit(bytes).slice();
        }
        ByteBuffer data = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (isDouble) {
            data.asDoubleBuffer().put(a.dup('c').data().asDouble());
        } else {
            data.asFloatBuffer().put(a.dup('c').data().asFloat());
        }
        return data;
    }

    private static boolean requireFloat(INDArray a) {
        if (a.dataType() != DataType.DOUBLE && a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("only float64 and float32 arrays are saved, got " + a.dataType());
        }
        return a.dataType() == DataType.DOUBLE;
    }

    /**
     * What a .npy's header says: its own length in bytes (magic and version included), its values' width
     * and byte order, its layout and shape (a vector n is n×1).
     */
    record Header(int length, int width, ByteOrder order, boolean fortran, long[] shape) {
        /** The number of values. */
        long count() {
            return shape[0] * shape[1];   // at most 2^28: parseShape refuses more
        }

        /** The bytes of the values. */
        long dataBytes() {
            return count() * width;
        }
    }

    /** The longest header read: numpy pads them to 64-byte steps, and format version 1 caps them at 64 KiB. */
    static final int MAX_HEADER_BYTES = 1 << 20;

    /**
     * Reads the magic and the header from {@code in}, leaving it at the first value, so that a reader
     * knows the array's size and shape before it reads (or allocates for) a single value.
     */
    static Header header(String name, InputStream in) throws IOException {
        byte[] start = in.readNBytes(MAGIC.length + 2);
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= start.length || start[i] != MAGIC[i]) {
                throw new CheckpointException(name + " is not a .npy array");
            }
        }
        if (start.length < MAGIC.length + 2) {
            throw new CheckpointException(name + " is truncated");
        }
        int major = start[MAGIC.length] & 0xFF;
        long headerLength;
        if (major == 1) {
            headerLength = ByteBuffer.wrap(readFully(name, in, 2)).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
        } else if (major == 2 || major == 3) {
            headerLength = ByteBuffer.wrap(readFully(name, in, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt()
                    & 0xFFFFFFFFL;
        } else {
            throw new CheckpointException(name + " has .npy format version " + major + ", which is not supported");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new CheckpointException(name + " has a .npy header of " + headerLength + " bytes, more than any "
                    + "array's needs");
        }
        String header = new String(readFully(name, in, (int) headerLength),
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        if (OBJECTS.matcher(header).find()) {
            throw new CheckpointException(name + " holds Python objects (a pickle), which charrnn never loads; a "
                    + "checkpoint holds float64 or float32 values");
        }
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeMatch = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeMatch.find()) {
            throw new CheckpointException(name + " has an unreadable .npy header: " + shown(header));
        }
        String kind = descr.group(2) + descr.group(3);
        int width;
        if (kind.equals("f8")) {
            width = 8;
        } else if (kind.equals("f4")) {
            width = 4;
        } else {
            throw new CheckpointException(name + " holds '" + shown(descr.group(1) + kind)
                    + "' values; a checkpoint holds float64 or float32");
        }
        ByteOrder order = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        long[] shape = parseShape(name, shapeMatch.group(1));
        int length = MAGIC.length + 2 + (major == 1 ? 2 : 4) + (int) headerLength;
        return new Header(length, width, order, fortran.group(1).equals("True"), shape);
    }

    /**
     * Text from a file, fit for a one-line message: runs of white space become one space, other control
     * characters \\uXXXX, and no more than 200 characters of it are shown.
     */
    static String shown(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        if (line.length() > 200) {
            line = line.substring(0, 200) + "...";
        }
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static byte[] readFully(String name, InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new CheckpointException(name + " is truncated");
        }
        return bytes;
    }

    /** Bytes moved at a time from a stream into an array's memory. */
    private static final int CHUNK = 1 << 16;

    /**
     * Reads the values {@code h} describes from {@code in} (positioned after the header) straight into
     * a new array's memory, a chunk at a time, and requires the stream to end there: a float64 or float32
     * array of one or two dimensions (a vector of n becomes n×1), in C or Fortran order.
     */
    static INDArray read(String name, Header h, InputStream in) throws IOException {
        long[] shape = h.shape();
        DataType type = h.width() == 8 ? DataType.DOUBLE : DataType.FLOAT;
        // Fortran order is the C order of the transpose
        long[] stored = h.fortran() ? new long[] {shape[1], shape[0]} : shape;
        INDArray a = Nd4j.createUninitialized(type, stored, 'c');
        ByteBuffer memory = a.data().asNio().duplicate().order(ByteOrder.nativeOrder());
        memory.position(0).limit((int) h.dataBytes());
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(h.dataBytes(), 1))];
        ByteBuffer view = ByteBuffer.wrap(chunk).order(h.order());
        long done = 0;
        while (done < h.dataBytes()) {
            int n = in.readNBytes(chunk, 0, (int) Math.min(chunk.length, h.dataBytes() - done));
            if (n == 0) {
                throw new CheckpointException(String.format("%s should hold %d values of %d bytes but has %d bytes",
                        name, h.count(), h.width(), done));
            }
            if (h.order() == ByteOrder.nativeOrder()) {
                memory.put(chunk, 0, n);
            } else {
                view.clear().limit(n);
                while (view.remaining() >= h.width()) {
                    if (h.width() == 8) {
                        memory.putDouble(view.getDouble());
                    } else {
                        memory.putFloat(view.getFloat());
                    }
                }
            }
            done += n;
        }
        if (in.read() >= 0) {
            throw new CheckpointException(String.format("%s should hold %d values of %d bytes but has more bytes",
                    name, h.count(), h.width()));
        }
        return h.fortran() ? a.transpose().dup('c') : a;
    }

    /** Reads a whole .npy from its bytes (see {@link #read(String, Header, InputStream)}). */
    static INDArray read(String name, byte[] bytes) throws IOException {
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(bytes);
        Header h = header(name, in);
        if (in.available() < h.dataBytes()) {   // known before allocating: refused without
            throw new CheckpointException(String.format("%s should hold %d values of %d bytes but has %d bytes",
                    name, h.count(), h.width(), in.available()));
        }
        return read(name, h, in);
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
                throw new CheckpointException(name + " has more than two dimensions: (" + shown(tuple) + ")");
            }
            try {
                dims[n++] = new java.math.BigInteger(p.strip());
            } catch (NumberFormatException e) {
                throw new CheckpointException(name + " has an unreadable shape: (" + shown(tuple) + ")");
            }
            if (dims[n - 1].signum() < 0) {
                throw new CheckpointException(name + " has a negative dimension: (" + shown(tuple) + ")");
            }
        }
        if (n == 0) {
            throw new CheckpointException(name + " is a scalar, not an array");
        }
        // exact: a shape such as (2**40, 2**40) must not wrap around to a small count
        // (a vector of n is the column n×1)
        if (dims[0].multiply(dims[1]).compareTo(java.math.BigInteger.valueOf(Integer.MAX_VALUE / 8)) > 0) {
            throw new CheckpointException(name + " is too large: (" + shown(tuple) + ")");
        }
        if (dims[0].signum() == 0 || dims[1].signum() == 0) {
            throw new CheckpointException(name + " is empty: (" + shown(tuple) + ")");   // no checkpoint array is
        }
        return new long[] {dims[0].longValueExact(), dims[1].longValueExact()};
    }
}
