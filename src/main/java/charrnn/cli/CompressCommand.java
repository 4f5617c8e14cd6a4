package charrnn.cli;

import charrnn.compress.Crnn;
import charrnn.util.AtomicFile;
import charrnn.util.Threads;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code charrnn compress} and {@code charrnn decompress}: files in and out, progress, the output's safety. */
final class CompressCommand {
    private CompressCommand() {
    }

    /** The options both commands take: where the output goes, whether to replace it, whether to be quiet, threads. */
    static final class Output {
        @Option(names = {"-o", "--output"}, paramLabel = "OUT",
                description = "Where the output goes; - writes standard output (default: compress: FILE.crnn; "
                        + "decompress: FILE without .crnn).")
        String name;

        @Option(names = {"-f", "--force"}, description = "Replace OUT if it exists (default: refuse).")
        boolean force;

        @Option(names = {"-q", "--quiet"}, description = "No progress on stderr (default: a line every few seconds "
                + "and one at the end).")
        boolean quiet;

        @Option(names = "--threads", paramLabel = "N",
                description = "Threads to code with, 1 to " + Threads.MAX + ", of which at most as many run as the JVM "
                        + "sees cores (more would only wait for each other); the bytes are the same on any count, "
                        + "and any count decodes any file (default: the cores the JVM sees).")
        Integer threads;

        @Option(names = "--model", paramLabel = "CHECKPOINT",
                description = "A trained checkpoint (charrnn train's .npz) whose prediction is mixed in: text like "
                        + "its corpus codes smaller. The .crnn file records the checkpoint's SHA-256, and decompress "
                        + "needs that same checkpoint (default: none; nothing but the .crnn file is needed).")
        Path model;

        /** --threads, checked, at most the cores the JVM sees; or those cores. */
        int threads() {
            return Math.min(threads != null ? Threads.check(threads) : Threads.available(), Threads.available());
        }

        /** OUT, or {@code otherwise}; an existing file is refused without --force. */
        String resolve(String otherwise) {
            String out = name != null ? name : otherwise;
            if (!out.equals("-") && Files.isDirectory(Path.of(out))) {
                throw new IllegalArgumentException(out + " is a directory");
            }
            if (!out.equals("-") && Files.exists(Path.of(out)) && !force) {
                throw new IllegalArgumentException(out + " exists: choose another -o, or replace it with --force");
            }
            return out;
        }
    }

    @Command(name = "compress",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Compress a file of any kind without loss, with a byte-level LSTM that learns while it codes: "
                        + "each byte is range-coded from the model's probabilities, then the model learns from it. "
                        + "Nothing but the .crnn file is needed to decompress it, on any machine.",
                "The input is kept. Progress goes to stderr (-q for none)."},
            footer = {"", "Examples:",
                    "  charrnn compress book.txt                 (writes book.txt.crnn)",
                    "  charrnn compress book.txt -o /tmp/b.crnn",
                    "  charrnn compress chapter.txt --model checkpoints/latest.npz",
                    "  cat book.txt | charrnn compress - -o book.crnn"})
    static final class Compress implements Callable<Integer> {
        @ParentCommand
        Main parent;

        @Parameters(index = "0", paramLabel = "FILE", description = "The file to compress; - reads standard input.")
        String input;

        @Mixin
        Output output = new Output();

        @Override
        public Integer call() throws IOException {
            int threads = output.threads();
            if (input.equals("-") && output.name == null) {
                throw new IllegalArgumentException("compressing standard input: name the output with -o (- for "
                        + "standard output)");
            }
            String out = output.resolve(input + ".crnn");
            Path spooled = null;
            try {
                Path file;
                if (input.equals("-")) {   // to a temporary file, not the heap: the streams read it at B places
                    spooled = Files.createTempFile("charrnn-stdin-", ".bin");
                    try (InputStream in = System.in) {
                        Files.copy(in, spooled, StandardCopyOption.REPLACE_EXISTING);
                    }
                    file = spooled;
                } else {
                    file = requireFile(Path.of(input));
                }
                Meter meter = new Meter(output.quiet ? null : parent.err(), input, Files.size(file));
                Path model = output.model != null ? requireFile(output.model) : null;
                AtomicFile.Content coded = sink -> Crnn.compress(file, sink, Crnn.Settings.DEFAULT, model, threads,
                        meter);
                if (out.equals("-")) {
                    OutputStream sink = new BufferedOutputStream(parent.out(), 1 << 16);
                    coded.writeTo(sink);
                    sink.flush();
                } else {
                    AtomicFile.write(Path.of(out), coded);
                }
                meter.done("compressed", out.equals("-") ? -1 : Files.size(Path.of(out)));
                return 0;
            } finally {
                if (spooled != null) {
                    Files.deleteIfExists(spooled);
                }
            }
        }
    }

    @Command(name = "decompress",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Decompress a .crnn file that charrnn compress wrote: the same bytes as the original, checked "
                        + "against its length and CRC-32C. A damaged or truncated file is refused and no output is "
                        + "left behind.",
                "The input is kept. Progress goes to stderr (-q for none)."},
            footer = {"", "Examples:",
                    "  charrnn decompress book.txt.crnn          (writes book.txt)",
                    "  charrnn decompress b.crnn -o - | less",
                    "  charrnn decompress chapter.txt.crnn --model checkpoints/latest.npz"})
    static final class Decompress implements Callable<Integer> {
        @ParentCommand
        Main parent;

        @Parameters(index = "0", paramLabel = "FILE.crnn", description = "The compressed file; - reads standard "
                + "input.")
        String input;

        @Mixin
        Output output = new Output();

        @Override
        public Integer call() throws IOException {
            int threads = output.threads();
            if (output.name == null && (input.equals("-") || !input.endsWith(".crnn")
                    || input.length() == ".crnn".length())) {
                throw new IllegalArgumentException("cannot name the output of " + input
                        + " (it does not end in .crnn): name it with -o");
            }
            String out = output.resolve(output.name != null ? output.name
                    : input.substring(0, input.length() - ".crnn".length()));
            String name = input.equals("-") ? "standard input" : input;
            Path model = output.model != null ? requireFile(output.model) : null;
            try (InputStream in = input.equals("-") ? System.in : Files.newInputStream(requireFile(Path.of(input)))) {
                Meter meter = new Meter(output.quiet ? null : parent.err(), name, -1);
                if (out.equals("-")) {   // decoded whole first (the streams write at B places), then copied
                    Path decoded = Files.createTempFile("charrnn-", ".out");
                    try {
                        Crnn.decompress(in, name, decoded, model, threads, meter);
                        Files.copy(decoded, parent.out());
                        parent.out().flush();
                    } finally {
                        Files.deleteIfExists(decoded);
                    }
                } else {
                    AtomicFile.writeFile(Path.of(out), file -> Crnn.decompress(in, name, file, model, threads,
                            meter));
                }
                meter.done("decompressed", -1);
            }
            return 0;
        }
    }

    private static Path requireFile(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory, not a file");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file + ": no such file");
        }
        return file;
    }

    /** The progress lines: bytes done, KB/s, ETA every few seconds, and a summary at the end. */
    private static final class Meter implements Crnn.Progress {
        private static final long EVERY = 5_000_000_000L;
        private final PrintStream err;   // null: quiet
        private final String name;
        private long length;             // -1: not known yet
        private final long start = System.nanoTime();
        private long shown = start;
        private long done;

        Meter(PrintStream err, String name, long length) {
            this.err = err;
            this.name = name;
            this.length = length;
        }

        @Override
        public void length(long length) {
            this.length = length;
        }

        @Override
        public void coded(long bytes) {
            done = bytes;
            long now = System.nanoTime();
            if (err != null && now - shown >= EVERY) {
                shown = now;
                double seconds = (now - start) / 1e9;
                double rate = bytes / seconds;
                err.printf("%s: %,d%s bytes, %.1f KB/s%s%n", name, bytes, length >= 0 ? String.format(" of %,d", length)
                        : "", rate / 1e3, length > 0 ? ", ETA " + charrnn.train.Trainer.duration((length - bytes) / rate)
                        : "");
            }
        }

        void done(String what, long size) {
            if (err == null) {
                return;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            err.printf("%s: %s %,d bytes%s in %.1f s, %.1f KB/s%n", name, what, done,
                    size >= 0 ? String.format(" to %,d (%.3f bits per byte)", size, done == 0 ? 0 : 8.0 * size / done)
                            : "", seconds, seconds > 0 ? done / 1e3 / seconds : 0);
        }
    }
}
