package charrnn.cli;

import charrnn.compress.Crnn;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code charrnn compress} and {@code charrnn decompress}: files in and out, progress, the output's safety. */
final class CompressCommand {
    private CompressCommand() {
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
                    "  cat book.txt | charrnn compress - -o book.crnn"})
    static final class Compress implements Callable<Integer> {
        @ParentCommand
        Main parent;

        @Parameters(index = "0", paramLabel = "FILE", description = "The file to compress; - reads standard input.")
        String input;

        @Option(names = {"-o", "--output"}, paramLabel = "OUT",
                description = "Where the compressed file goes; - writes standard output (default: FILE.crnn).")
        String output;

        @Option(names = {"-f", "--force"}, description = "Replace OUT if it exists (default: refuse).")
        boolean force;

        @Option(names = {"-q", "--quiet"}, description = "No progress on stderr (default: a line every few seconds "
                + "and one at the end).")
        boolean quiet;

        @Override
        public Integer call() throws IOException {
            if (input.equals("-") && output == null) {
                throw new IllegalArgumentException("compressing standard input: name the output with -o (- for "
                        + "standard output)");
            }
            String out = output != null ? output : input + ".crnn";
            requireWritable(out, force);
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
                long length = Files.size(file);
                Meter meter = new Meter(quiet ? null : parent.err(), input, length);
                write(out, sink -> Crnn.compress(file, sink, Crnn.Settings.DEFAULT, meter::coded), parent.out());
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
                    "  charrnn decompress b.crnn -o - | less"})
    static final class Decompress implements Callable<Integer> {
        @ParentCommand
        Main parent;

        @Parameters(index = "0", paramLabel = "FILE.crnn", description = "The compressed file; - reads standard "
                + "input.")
        String input;

        @Option(names = {"-o", "--output"}, paramLabel = "OUT",
                description = "Where the original goes; - writes standard output (default: FILE without .crnn).")
        String output;

        @Option(names = {"-f", "--force"}, description = "Replace OUT if it exists (default: refuse).")
        boolean force;

        @Option(names = {"-q", "--quiet"}, description = "No progress on stderr (default: a line every few seconds "
                + "and one at the end).")
        boolean quiet;

        @Override
        public Integer call() throws IOException {
            String out = output;
            if (out == null) {
                if (input.equals("-") || !input.endsWith(".crnn") || input.length() == ".crnn".length()) {
                    throw new IllegalArgumentException("cannot name the output of " + input
                            + " (it does not end in .crnn): name it with -o");
                }
                out = input.substring(0, input.length() - ".crnn".length());
            }
            requireWritable(out, force);
            String name = input.equals("-") ? "standard input" : input;
            Path decoded = out.equals("-") ? Files.createTempFile("charrnn-", ".part") : partOf(out);
            try {
                try (InputStream in = input.equals("-") ? System.in : Files.newInputStream(requireFile(Path.of(input)))) {
                    Meter meter = new Meter(quiet ? null : parent.err(), name, -1);
                    Crnn.decompress(in, name, decoded, meter::coded);
                    if (out.equals("-")) {
                        Files.copy(decoded, parent.out());
                        parent.out().flush();
                    } else {
                        Files.move(decoded, Path.of(out), StandardCopyOption.REPLACE_EXISTING,
                                StandardCopyOption.ATOMIC_MOVE);
                    }
                    meter.done("decompressed", -1);
                }
                return 0;
            } finally {
                Files.deleteIfExists(decoded);
            }
        }
    }

    /** An output that exists is refused without --force; - (standard output) always goes. */
    private static void requireWritable(String out, boolean force) {
        if (!out.equals("-") && Files.exists(Path.of(out)) && !force) {
            throw new IllegalArgumentException(out + " exists: choose another -o, or replace it with --force");
        }
        if (!out.equals("-") && Files.isDirectory(Path.of(out))) {
            throw new IllegalArgumentException(out + " is a directory");
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

    /**
     * Where {@code out} is written before it is whole: a hidden file beside it, created with the user's
     * usual permissions (a temporary file's would be the owner's only), renamed over it at the end.
     */
    private static Path partOf(String out) throws IOException {
        Path target = Path.of(out).toAbsolutePath();
        Path part = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".part");
        Files.deleteIfExists(part);   // (a crashed run's, of a process with the same number)
        return part;
    }

    /** What writes the output, given the stream to write it to. */
    private interface Writer {
        void to(OutputStream out) throws IOException;
    }

    /** Writes {@code out} whole or not at all: to a temporary file beside it, renamed at the end. */
    private static void write(String out, Writer writer, PrintStream stdout) throws IOException {
        if (out.equals("-")) {
            OutputStream sink = new BufferedOutputStream(stdout, 1 << 16);
            writer.to(sink);
            sink.flush();
            return;
        }
        Path target = Path.of(out);
        Path part = partOf(out);
        try {
            try (OutputStream sink = new BufferedOutputStream(Files.newOutputStream(part,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16)) {
                writer.to(sink);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** The progress lines: bytes done, KB/s, ETA every few seconds, and a summary at the end. */
    private static final class Meter {
        private static final long EVERY = 5_000_000_000L;
        private final PrintStream err;   // null: quiet
        private final String name;
        private final long length;       // -1: not known yet
        private final long start = System.nanoTime();
        private long shown = start;
        private long done;

        Meter(PrintStream err, String name, long length) {
            this.err = err;
            this.name = name;
            this.length = length;
        }

        void coded(long bytes) {
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
