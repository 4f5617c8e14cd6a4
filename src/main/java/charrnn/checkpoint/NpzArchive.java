package charrnn.checkpoint;

import charrnn.util.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A checkpoint ready to be written: its arrays, each becoming NAME.npy, and meta.json, as numpy's
 * {@code savez} lays them out (uncompressed entries: compressing float noise costs time and saves
 * little). Written as a stream, each array straight from its memory a chunk at a time, so that the
 * Java heap never holds a copy of the model.
 */
final class NpzArchive implements AtomicFile.Content {
    record Entry(String name, INDArray array, boolean vector) {
    }

    private static final int CHUNK = 1 << 16;
    private final List<Entry> entries;
    private final byte[] meta;

    NpzArchive(List<Entry> entries, byte[] meta) {
        this.entries = entries;
        this.meta = meta;
    }

    @Override
    public void writeTo(java.io.OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        byte[] chunk = new byte[CHUNK];
        for (Entry e : entries) {
            byte[] header = Npy.header(e.array(), e.vector());
            java.nio.ByteBuffer data = Npy.data(e.array());
            CRC32 crc = new CRC32();
            crc.update(header);
            crc.update(data.duplicate());
            putStored(zip, e.name() + ".npy", header.length + (long) data.remaining(), crc.getValue());
            zip.write(header);
            while (data.hasRemaining()) {
                int n = Math.min(chunk.length, data.remaining());
                data.get(chunk, 0, n);
                zip.write(chunk, 0, n);
            }
            zip.closeEntry();
        }
        CRC32 crc = new CRC32();
        crc.update(meta);
        putStored(zip, "meta.json", meta.length, crc.getValue());
        zip.write(meta);
        zip.closeEntry();
        zip.finish();
    }

    private static void putStored(ZipOutputStream zip, String name, long size, long crc) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(size);
        entry.setCompressedSize(size);
        entry.setCrc(crc);
        zip.putNextEntry(entry);
    }

    /** Checks an array's shape (rows, columns; a vector of n is n×1) before its values are read. */
    interface ShapeCheck {
        void check(long[] shape);
    }

    /**
     * The array of entry NAME.npy. Its header is read first and checked against meta.json (shape, by
     * {@code check}, and dtype) before anything is allocated; then its values are read straight into the
     * array's memory, and the entry must end there: an entry cannot make the reader hold more than the
     * model meta.json describes.
     */
    static INDArray readNpy(Path file, ZipFile zip, String name, CheckpointMeta meta, ShapeCheck check)
            throws IOException {
        String entryName = name + ".npy";
        String label = file + ": " + entryName;
        ZipEntry entry = entry(file, zip, entryName);
        if (entry == null) {
            throw new CheckpointException(file + " has no " + entryName);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            Npy.Header header = Npy.header(label, in);
            check.check(header.shape());
            if (header.width() != meta.precision().dataType().width()) {
                throw new CheckpointException(String.format("%s: %s is %s but meta.json says dtype %s", file, name,
                        header.width() == 8 ? "float64" : "float32", meta.precision().numpyName()));
            }
            long size = header.length() + header.dataBytes();
            if (entry.getSize() >= 0 && entry.getSize() != size) {   // the zip's own record of the size
                throw new CheckpointException(String.format("%s should hold %d values of %d bytes but the archive "
                        + "lists %d bytes for it", label, header.count(), header.width(),
                        entry.getSize() - header.length()));
            }
            INDArray a = Npy.read(label, header, in);
            requireFinite(file, name, a);
            return a;
        } catch (ZipException | java.io.EOFException e) {
            throw new CheckpointException(file + " is truncated or corrupt: cannot read " + entryName);
        }
    }

    /**
     * The archive's entry of that name, or null. (ZipFile throws IllegalArgumentException when an entry's
     * name in the archive's directory is not the UTF-8 it claims to be.)
     */
    static ZipEntry entry(Path file, ZipFile zip, String name) {
        try {
            return zip.getEntry(name);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + " is corrupt, or not a checkpoint: an entry's name in the archive is "
                    + "not valid UTF-8");
        }
    }

    /** The entry's bytes, refused when it inflates to more than maxBytes. */
    static byte[] readEntry(Path file, ZipFile zip, String name, int maxBytes) throws IOException {
        ZipEntry entry = entry(file, zip, name);
        if (entry == null) {
            throw new CheckpointException(name.equals("meta.json")
                    ? file + " is not a charrnn checkpoint: it has no meta.json"
                    : file + " has no " + name);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes(maxBytes);
            if (in.read() != -1) {
                throw new CheckpointException(String.format("%s: %s is larger than %d MiB; a charrnn checkpoint's is "
                        + "far smaller (corrupt, or not a checkpoint)", file, name, maxBytes >> 20));
            }
            return bytes;
        } catch (ZipException | java.io.EOFException e) {
            throw new CheckpointException(file + " is truncated or corrupt: cannot read " + name);
        }
    }

    /** Refuses NaN and infinite values, a chunk at a time (no copy of the whole array on the heap). */
    private static void requireFinite(Path file, String name, INDArray a) {
        java.nio.ByteBuffer memory = a.data().asNio().duplicate().order(java.nio.ByteOrder.nativeOrder());
        long n = a.length();
        boolean isDouble = a.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE;
        for (int i = 0; i < n; i++) {
            double value = isDouble ? memory.getDouble(i * 8) : memory.getFloat(i * 4);
            if (!Double.isFinite(value)) {
                throw new CheckpointException(String.format("%s: %s holds %s at flat index %d", file, name, value, i));
            }
        }
    }
}
