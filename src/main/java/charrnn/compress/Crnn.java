package charrnn.compress;

import charrnn.util.Threads;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Lossless compression with a model that learns while it codes ({@link CodingLstm}): the file is cut into B
 * segments coded side by side; at every step each stream's next byte is range-coded ({@link RangeEncoder})
 * with the model's probabilities ({@link Frequencies}), and after every window of T steps the model takes
 * one training step on the bytes just coded. The decoder makes the same probabilities, decodes the same
 * bytes and takes the same steps. Nothing but the {@code .crnn} file is needed to decompress.
 */
public final class Crnn {
    private Crnn() {
    }

    /** How a file is coded: the model's sizes, the streams, the window, how fast it learns, the seed. */
    public record Settings(int embeddingSize, int hiddenSize, int streams, int window, double learningRate,
                           long seed) {
        /**
         * The default, chosen by measurement (docs/compress.md: a larger LSTM gains under 1 % for half the
         * speed; bench/CompressSettings.java measures any).
         */
        public static final Settings DEFAULT = new Settings(16, 64, 1, 16, 0.01, 42);

        /** The settings a file was coded with. */
        public static Settings of(CrnnHeader h) {
            return new Settings(h.embeddingSize(), h.hiddenSize(), h.streams(), h.window(), h.learningRate(), h.seed());
        }
    }

    /** Told how many of the original's bytes are coded so far, after every window. */
    public interface Progress {
        Progress NONE = done -> { };

        /** The original's length, once known (decompress: from the header), before any {@link #coded}. */
        default void length(long length) {
        }

        void coded(long done);
    }

    /**
     * Compresses {@code file} into {@code out} (buffer it: the coder writes a byte at a time): the header,
     * then the coded bytes; on all the machine's cores.
     */
    public static void compress(Path file, OutputStream out, Settings settings) throws IOException {
        compress(file, out, settings, Threads.available(), Progress.NONE);
    }

    /**
     * {@link #compress(Path, OutputStream, Settings)} on {@code threads} threads (1 to {@link Threads#MAX};
     * the bytes are the same on any count), telling {@code progress} how far it is.
     */
    public static void compress(Path file, OutputStream out, Settings settings, int threads, Progress progress)
            throws IOException {
        compress(file, out, settings, null, threads, progress);
    }

    /**
     * {@link #compress(Path, OutputStream, Settings, int, Progress)} with a trained checkpoint's prediction
     * mixed in ({@link TrainedModel}), or none when {@code model} is null; the file records the checkpoint's
     * SHA-256, and only that checkpoint decompresses it.
     */
    public static void compress(Path file, OutputStream out, Settings settings, Path model, int threads,
                                Progress progress) throws IOException {
        long n = Files.size(file);
        int b = (int) Math.max(1, Math.min(settings.streams(), n));   // (no empty streams)
        Threads.check(threads);
        TrainedModel trained = model != null ? TrainedModel.load(model, b) : null;
        CrnnHeader header = new CrnnHeader(1, 1, settings.hiddenSize(), settings.embeddingSize(), b,
                settings.window(), settings.learningRate(), settings.seed(), trained != null ? trained.sha256 : null, n,
                crc(file));
        header.write(out);
        RangeEncoder coder = new RangeEncoder(out);
        Segments segments = new Segments(n, b);
        InputStream[] in = new InputStream[b];
        try (CodingLstm network = model(header, "the settings", threads)) {
            for (int s = 0; s < b; s++) {
                InputStream stream = Files.newInputStream(file);
                in[s] = new BufferedInputStream(stream, 1 << 16);
                stream.skipNBytes(segments.start(s));
            }
            code(network, trained, segments, progress, (s, table) -> {
                int next = in[s].read();
                if (next < 0) {
                    throw new IOException(file + " changed while it was compressed (it ended early)");
                }
                table.encode(coder, next);
                return next;
            });
            coder.finish();
        } finally {
            for (InputStream s : in) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    /**
     * Decompresses {@code in} into {@code file} (written whole, then checked against the header's length and
     * CRC-32C; on any mismatch it is deleted).
     *
     * @throws CrnnHeader.BadCrnnException not a .crnn file, a future version, truncated or corrupt
     */
    public static void decompress(InputStream in, String name, Path file) throws IOException {
        decompress(in, name, file, Threads.available(), Progress.NONE);
    }

    /**
     * {@link #decompress(InputStream, String, Path)} on {@code threads} threads (any count decodes any file),
     * telling {@code progress} how far it is.
     */
    public static void decompress(InputStream in, String name, Path file, int threads, Progress progress)
            throws IOException {
        decompress(in, name, file, null, threads, progress);
    }

    /**
     * {@link #decompress(InputStream, String, Path, int, Progress)} of a file compressed with the trained
     * checkpoint {@code model}, or without one when it is null.
     *
     * @throws WrongModelException {@code model} is not the checkpoint the file was coded with (its SHA-256
     *                             differs), or is missing, or is given for a file coded without one
     */
    public static void decompress(InputStream in, String name, Path file, Path model, int threads,
                                  Progress progress) throws IOException {
        Threads.check(threads);
        CrnnHeader header = CrnnHeader.read(in, name);
        progress.length(header.length());
        byte[] wanted = header.checkpoint();
        if (wanted == null && model != null) {
            throw new WrongModelException(name + " was coded without a trained model: decompress it without --model");
        }
        if (wanted != null && model == null) {
            throw new WrongModelException(name + " was coded with a trained model: give that checkpoint with --model "
                    + "(its SHA-256 is " + hex(wanted) + ")");
        }
        if (wanted != null && !java.util.Arrays.equals(wanted, TrainedModel.sha256(model))) {
            throw new WrongModelException(model + " is not the checkpoint " + name + " was coded with (SHA-256 "
                    + hex(wanted) + ")");
        }
        long n = header.length();
        int b = header.streams();
        Segments segments = new Segments(n, b);
        if (n > 0 && b > n) {
            throw new CrnnHeader.BadCrnnException(name + " is corrupt: " + b + " streams for " + n + " bytes");
        }
        try {
            if (n > 0) {
                TrainedModel trained = model != null ? TrainedModel.load(model, b) : null;
                decode(header, trained, new BufferedInputStream(in, 1 << 16), name, file, segments, threads,
                        progress);
            } else {
                Files.write(file, new byte[0]);
            }
            if (crc(file) != header.crc()) {
                throw new CrnnHeader.BadCrnnException(name + " is corrupt: the decompressed bytes do not match its "
                        + "checksum");
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            if (e instanceof java.io.EOFException) {
                throw new CrnnHeader.BadCrnnException(name + " is truncated: its coded bytes end early");
            }
            throw e;
        }
    }

    private static void decode(CrnnHeader header, TrainedModel trained, InputStream in, String name, Path file,
                               Segments segments, int threads, Progress progress) throws IOException {
        int b = header.streams();
        RangeDecoder coder;
        try {
            coder = new RangeDecoder(in);
        } catch (IOException e) {
            throw e instanceof java.io.EOFException ? e
                    : new CrnnHeader.BadCrnnException(name + " is corrupt: " + e.getMessage());
        }
        try (CodingLstm model = model(header, name, threads);
             RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.setLength(0);
            byte[][] pending = new byte[b][1 << 14];
            int[] filled = new int[b];
            long[] at = new long[b];
            for (int s = 0; s < b; s++) {
                at[s] = segments.start(s);
            }
            code(model, trained, segments, progress, (s, table) -> {
                int next = table.decode(coder);
                pending[s][filled[s]++] = (byte) next;
                if (filled[s] == pending[s].length) {
                    out.seek(at[s]);
                    out.write(pending[s], 0, filled[s]);
                    at[s] += filled[s];
                    filled[s] = 0;
                }
                return next;
            });
            for (int s = 0; s < b; s++) {
                out.seek(at[s]);
                out.write(pending[s], 0, filled[s]);
            }
        } catch (IOException e) {
            if (e instanceof CrnnHeader.BadCrnnException || e instanceof java.io.EOFException) {
                throw e;
            }
            throw new CrnnHeader.BadCrnnException(name + " is corrupt: " + e.getMessage());
        }
    }

    /** The most floats a model's parameters, or its window's values, may take: 64 MB each. */
    static final long MAX_FLOATS = 1L << 24;

    /** What becomes of stream s's next byte: the encoder reads and codes it, the decoder decodes and writes it. */
    private interface ByteCoder {
        int code(int s, Frequencies table) throws IOException;
    }

    /**
     * The coding loop both sides run: at each step of a window, every stream that has bytes left gets the
     * mixture's probabilities after its history, and {@code coder} codes its byte with them; then the mixer
     * and the model take the byte in, and after the window the model learns.
     */
    private static void code(CodingLstm model, TrainedModel trained, Segments segments, Progress progress,
                             ByteCoder coder) throws IOException {
        Frequencies table = new Frequencies(CodingLstm.V);
        double[] p = new double[CodingLstm.V];
        ContextMixer mixer = new ContextMixer(model.B, segments.longest(), segments.length(), trained);
        while (segments.left()) {
            int steps = 0;
            for (int t = 0; t < model.T && segments.left(); t++, steps++) {
                for (int s = 0; s < model.B; s++) {
                    if (!segments.left(s)) {
                        model.idle(t, s);
                        continue;
                    }
                    toDoubles(mixer.mix(s, model.forward(t, s, mixer.previous(s))), p);
                    int next = coder.code(s, table.of(p));
                    mixer.update(next);
                    model.coded(t, s, next);
                    segments.advance(s);
                }
            }
            model.learn(steps);
            progress.coded(segments.done());
        }
    }

    private static CodingLstm model(CrnnHeader h, String name, int threads) throws CrnnHeader.BadCrnnException {
        long e = h.embeddingSize();
        long hidden = h.hiddenSize();
        long g = 4 * hidden;
        long parameters = CodingLstm.V * e + (e + hidden + 1) * g + (hidden + 1) * CodingLstm.V;
        long window = (long) h.window() * h.streams() * (g + 2 * hidden + CodingLstm.V);
        if (parameters > MAX_FLOATS || window > MAX_FLOATS) {
            throw new CrnnHeader.BadCrnnException(name + " asks for a model of " + parameters + " parameters and "
                    + window + " values a window, more than this charrnn codes with (at most " + MAX_FLOATS + " each)");
        }
        return new CodingLstm(h.embeddingSize(), h.hiddenSize(), h.streams(), h.window(), h.learningRate(), h.seed(),
                threads);
    }

    private static void toDoubles(float[] from, double[] to) {
        for (int i = 0; i < from.length; i++) {
            to[i] = from[i];
        }
    }

    /** The checkpoint given to decompress is not the one the file was coded with, or is missing, or is extra. */
    public static final class WrongModelException extends IOException {
        public WrongModelException(String message) {
            super(message);
        }
    }

    /** Bytes as lowercase hexadecimal, as sha256sum prints them. */
    static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte x : bytes) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }

    /** CRC-32C of a file's bytes. */
    static int crc(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r = in.read(buffer); r >= 0; r = in.read(buffer)) {
                crc.update(buffer, 0, r);
            }
        }
        return (int) crc.getValue();
    }

    /** B segments of n bytes, [s·n/B, (s+1)·n/B), and how far each stream has come. */
    private static final class Segments {
        private final long[] start;
        private final long[] end;
        private final long[] at;

        Segments(long n, int b) {
            start = new long[b];
            end = new long[b];
            at = new long[b];
            for (int s = 0; s < b; s++) {
                start[s] = n * s / b;
                end[s] = n * (s + 1) / b;
                at[s] = start[s];
            }
        }

        long start(int s) {
            return start[s];
        }

        long length() {
            return start.length == 0 ? 0 : end[end.length - 1];
        }

        long longest() {
            long longest = 0;
            for (int s = 0; s < start.length; s++) {
                longest = Math.max(longest, end[s] - start[s]);
            }
            return longest;
        }

        boolean left(int s) {
            return at[s] < end[s];
        }

        boolean left() {
            for (int s = 0; s < at.length; s++) {
                if (left(s)) {
                    return true;
                }
            }
            return false;
        }

        void advance(int s) {
            at[s]++;
        }

        long done() {
            long done = 0;
            for (int s = 0; s < at.length; s++) {
                done += at[s] - start[s];
            }
            return done;
        }
    }

}
