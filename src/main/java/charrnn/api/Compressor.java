package charrnn.api;

import charrnn.compress.Crnn;
import charrnn.compress.CrnnHeader;
import charrnn.util.Threads;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code charrnn compress} and {@code charrnn decompress} from Java, on streams or files: lossless, the
 * same bytes on any machine and thread count, nothing but the compressed bytes needed to decompress them.
 *
 * <pre>{@code
 * Compressor compressor = Compressor.create();                  // on all cores; .withThreads(1) for one
 * try (InputStream in = Files.newInputStream(book); OutputStream out = Files.newOutputStream(coded)) {
 *     compressor.compress(in, out);                             // what `charrnn compress book -o coded` writes
 * }
 * try (InputStream in = Files.newInputStream(coded); OutputStream out = Files.newOutputStream(copy)) {
 *     compressor.decompress(in, out);                           // the original's bytes, checked
 * }
 * }</pre>
 *
 * <p>The coder reads its input at several places at once and writes its output likewise, so a stream is
 * spooled to a temporary file (deleted afterwards), never held on the heap: memory does not grow with the
 * input. Immutable and safe to share between threads.
 */
public final class Compressor {
    private final int threads;
    private final Path model;   // or null

    private Compressor(int threads, Path model) {
        this.threads = Threads.check(threads);
        this.model = model;
    }

    /** A compressor with {@code charrnn compress}'s defaults, on the cores the JVM sees. */
    public static Compressor create() {
        return new Compressor(Threads.available(), null);
    }

    /**
     * The same compressor with a trained checkpoint's prediction mixed in, as {@code charrnn compress --model}:
     * text like the checkpoint's corpus codes smaller. What it compresses records the checkpoint's SHA-256 and
     * only a compressor with that checkpoint decompresses it ({@link Crnn.WrongModelException} otherwise); the
     * file is read when coding starts. Null: no checkpoint.
     */
    public Compressor withModel(Path checkpoint) {
        return new Compressor(threads, checkpoint);
    }

    /**
     * The same compressor on {@code threads} threads (1 to 1024; at most as many run as the JVM sees cores,
     * since more would only wait for each other). The bytes do not depend on it, and any count decompresses
     * what any other compressed.
     *
     * @throws IllegalArgumentException {@code threads} is out of range (one-line message)
     */
    public Compressor withThreads(int threads) {
        return new Compressor(threads, model);
    }

    /** The threads it was asked to code on. */
    public int threads() {
        return threads;
    }

    /** The threads that run: at most the cores the JVM sees. */
    private int running() {
        return Math.min(threads, Threads.available());
    }

    /** Compresses the file into {@code out} (not closed); returns the original's length. */
    public long compress(Path file, OutputStream out) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
        Crnn.compress(file, buffered, Crnn.Settings.DEFAULT, model, running(), Crnn.Progress.NONE);
        buffered.flush();
        return Files.size(file);
    }

    /** Compresses all of {@code in} into {@code out} (neither closed); returns the original's length. */
    public long compress(InputStream in, OutputStream out) throws IOException {
        Path spooled = Files.createTempFile("charrnn-", ".in");
        try {
            Files.copy(in, spooled, StandardCopyOption.REPLACE_EXISTING);
            return compress(spooled, out);
        } finally {
            Files.deleteIfExists(spooled);
        }
    }

    /**
     * Decompresses {@code in} into {@code file} (replaced; deleted again if {@code in} is not whole and
     * sound); returns the original's length.
     *
     * @throws CrnnHeader.BadCrnnException {@code in} is not compressed bytes, is of another format version, or
     *                                     is truncated or corrupt (an IOException with a one-line message)
     * @throws Crnn.WrongModelException    {@code in} was compressed with another checkpoint than {@link
     *                                     #withModel}'s, or with one and this has none, or without one and
     *                                     this has one (an IOException with a one-line message)
     */
    public long decompress(InputStream in, Path file) throws IOException {
        Crnn.decompress(in, "the compressed stream", file, model, running(), Crnn.Progress.NONE);
        return Files.size(file);
    }

    /**
     * Decompresses {@code in} into {@code out} (neither closed), which gets nothing unless the whole
     * original was decoded and checked; returns the original's length.
     *
     * @throws CrnnHeader.BadCrnnException as {@link #decompress(InputStream, Path)}
     */
    public long decompress(InputStream in, OutputStream out) throws IOException {
        Path decoded = Files.createTempFile("charrnn-", ".out");
        try {
            long length = decompress(in, decoded);
            Files.copy(decoded, out);
            out.flush();
            return length;
        } finally {
            Files.deleteIfExists(decoded);
        }
    }
}
