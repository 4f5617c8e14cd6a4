package charrnn.util;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file so that at every moment either the old or the new content is there, whole: the bytes
 * go to a temporary file in the same folder, are forced to disk, and the temporary file is renamed over
 * the target. A crash, a {@code kill -9} or a full disk leaves the previous file untouched.
 */
public final class AtomicFile {
    public static final String TEMP_PREFIX = ".tmp-";

    private AtomicFile() {
    }

    /** What goes into a file: written to a stream, which the caller opens and closes. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What goes into a file: written to the file at a path (by positioned writes, say). */
    @FunctionalInterface
    public interface FileContent {
        void writeTo(Path file) throws IOException;
    }

    /**
     * Replaces {@code target} with the file {@code content} writes at a temporary path beside it; if it
     * throws, the temporary file is deleted and {@code target} is as it was.
     */
    public static void writeFile(Path target, FileContent content) throws IOException {
        Path temp = createTemp(target);
        try {
            content.writeTo(temp);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            move(temp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        forceDirectory(temp.getParent());
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Replaces {@code target} with what {@code content} writes; if it throws, the temporary file is
     * deleted and {@code target} is as it was.
     */
    public static void write(Path target, Content content) throws IOException {
        Path temp = createTemp(target);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            move(temp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        forceDirectory(temp.getParent());
    }

    /**
     * Makes {@code target} a second name of {@code existing} (already on disk), atomically: a hard link
     * under a temporary name, renamed over the target. Where links are not supported, copies
     * {@code existing} instead (atomically too).
     */
    public static void link(Path target, Path existing) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-link-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        try {
            Files.createLink(temp, existing);
        } catch (UnsupportedOperationException | IOException e) {
            write(target, out -> Files.copy(existing, out));
            return;
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        forceDirectory(dir);
    }

    /** What a crash in the middle of {@link #write} leaves behind: part of a temporary file, no rename. */
    public static Path writePartial(Path target, byte[] bytes, int length) throws IOException {
        Path temp = createTemp(target);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        return temp;
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A new file beside {@code target}, with the permissions any new file gets (unlike createTempFile's 0600). */
    private static Path createTemp(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        while (true) {
            Path temp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + Long.toUnsignedString(
                    ThreadLocalRandom.current().nextLong(), 36));
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                // another name
            }
        }
    }

    /** Makes the rename itself durable; where a folder cannot be opened this is skipped. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the file itself is already on disk
        }
    }
}
