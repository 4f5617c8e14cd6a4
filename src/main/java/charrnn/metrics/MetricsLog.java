package charrnn.metrics;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * What a run leaves for its user beside the checkpoints: {@code metrics.csv}, one row per logged or
 * evaluated iteration, and {@code samples.txt}, every sample printed with its iteration and loss. A
 * resumed run appends to both; a new run moves earlier ones aside ({@code metrics-1.csv}, ...) rather
 * than overwrite them.
 */
public final class MetricsLog implements Closeable {
    public static final String METRICS = "metrics.csv";
    public static final String SAMPLES = "samples.txt";
    public static final String HEADER =
            "iteration,smooth_loss_per_char,train_loss_per_char,val_loss_per_char,chars_per_second,elapsed_seconds";

    private final Path metricsFile;
    private final BufferedWriter metrics;
    private final BufferedWriter samples;
    private final double elapsedBefore;
    private long flushed = System.nanoTime();   // when both files were last flushed
    private boolean hasRows;                     // a row is in metrics.csv (this run's or a resumed one's)

    private MetricsLog(Path dir, boolean append) throws IOException {
        Files.createDirectories(dir);
        this.metricsFile = dir.resolve(METRICS);
        double before = 0;
        boolean continuing = append && Files.exists(metricsFile) && isOurs(metricsFile);
        if (continuing) {
            before = lastElapsed(metricsFile);
            hasRows = before > 0;
        } else {
            moveAside(metricsFile);
            moveAside(dir.resolve(SAMPLES));
        }
        this.elapsedBefore = before;
        this.metrics = Files.newBufferedWriter(metricsFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        this.samples = Files.newBufferedWriter(dir.resolve(SAMPLES), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (!continuing) {
            metrics.write(HEADER);
            metrics.newLine();
            metrics.flush();
        }
    }

    /** A new run's log in {@code dir}; earlier files there are renamed, not overwritten. */
    public static MetricsLog start(Path dir) throws IOException {
        return new MetricsLog(dir, false);
    }

    /** A resumed run's log: appends to {@code dir}'s files when they are ours, else starts anew. */
    public static MetricsLog resume(Path dir) throws IOException {
        return new MetricsLog(dir, true);
    }

    public Path metricsFile() {
        return metricsFile;
    }

    /** Seconds the run had trained before this process (from the last row of a resumed log). */
    public double elapsedBefore() {
        return elapsedBefore;
    }

    /**
     * One row, losses in nats per character: min-char-rnn's smooth loss over T, the last window's loss
     * over T, and the held-out text's, NaN when it was not scored at this iteration ({@link MetricsRow}).
     */
    public void row(long iteration, double smoothLossPerChar, double trainLossPerChar, double valLossPerChar,
                    double charsPerSecond, double elapsedSeconds) throws IOException {
        metrics.write(new MetricsRow(iteration, smoothLossPerChar, trainLossPerChar, valLossPerChar, charsPerSecond,
                elapsedSeconds).format());
        metrics.newLine();
        hasRows = true;
        flushEverySecond();
    }

    /** Whether metrics.csv holds a row to draw. */
    public boolean hasRows() {
        return hasRows;
    }

    public void sample(long iteration, double smoothLoss, String text) throws IOException {
        samples.write(String.format(Locale.ROOT, "iter %d, loss: %f%n%s%n%n", iteration, smoothLoss, text));
        flushEverySecond();
    }

    /**
     * Writes both files out when a second has passed since they last were: a flush per row or sample
     * (a write system call, ~100 µs measured) made the samples cost over 5 % of training at H=100.
     */
    private void flushEverySecond() throws IOException {
        if (System.nanoTime() - flushed >= 1_000_000_000L) {
            flush();
        }
    }

    /** Writes both files out now (before the plot reads metrics.csv, and at each checkpoint). */
    public void flush() throws IOException {
        metrics.flush();
        samples.flush();
        flushed = System.nanoTime();
    }

    /** Whether the file starts with our header line (reads no more than that line). */
    static boolean isOurs(Path file) throws IOException {
        byte[] start;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            start = in.readNBytes(HEADER.length() + 2);
        }
        String first = new String(start, StandardCharsets.UTF_8);
        return first.equals(HEADER + "\n") || first.equals(HEADER + "\r\n") || first.equals(HEADER)
                || first.startsWith(HEADER + "\n");
    }

    /** The elapsed seconds of the file's last row (reads only its last 64 KiB); 0 when there is none. */
    private static double lastElapsed(Path file) throws IOException {
        byte[] tail;
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            long from = Math.max(0, channel.size() - (1 << 16));
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) (channel.size() - from));
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) >= 0) {
                // reads until the buffer is full or the file ends
            }
            tail = java.util.Arrays.copyOf(buffer.array(), buffer.position());
        }
        String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String[] cells = lines[i].strip().split(",", -1);
            if (cells.length == 6 && !lines[i].startsWith("iteration,")) {
                try {
                    return Double.parseDouble(cells[5]);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static void moveAside(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        for (int n = 1; ; n++) {
            Path aside = file.resolveSibling(name.substring(0, dot) + "-" + n + name.substring(dot));
            if (!Files.exists(aside)) {
                Files.move(file, aside);
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            metrics.close();
        } finally {
            samples.close();
        }
    }
}
