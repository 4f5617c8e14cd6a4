package charrnn.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoint folder: {@code iter-NNNNNNNN.npz} per saved iteration, {@code latest.npz} always the
 * newest, and only the newest {@code keep} iteration files kept.
 */
public final class CheckpointDir {
    public static final String LATEST = "latest.npz";
    private static final Pattern ITERATION_FILE = Pattern.compile("iter-(\\d+)\\.npz");

    private final Path dir;
    private final int keep;

    public CheckpointDir(Path dir, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("--keep must be a positive integer, got " + keep);
        }
        this.dir = dir;
        this.keep = keep;
    }

    public Path dir() {
        return dir;
    }

    public Path latest() {
        return dir.resolve(LATEST);
    }

    /** Writes the checkpoint as its iteration's file and as latest.npz, then prunes old files. */
    public Path save(Checkpoint checkpoint) throws IOException {
        byte[] bytes = CheckpointFile.toBytes(checkpoint);
        Path file = dir.resolve(String.format("iter-%08d.npz", checkpoint.meta().iteration()));
        AtomicFile.write(file, bytes);
        AtomicFile.link(latest(), file, bytes);
        prune();
        return file;
    }

    /**
     * Deletes the partial temporary files a killed save leaves behind (see {@link AtomicFile}). Call it
     * before training, when no save of this folder is under way.
     */
    public void removeLeftovers() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (p.getFileName().toString().startsWith(AtomicFile.TEMP_PREFIX)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void prune() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> ITERATION_FILE.matcher(p.getFileName().toString()).matches()).forEach(files::add);
        }
        files.sort((a, b) -> Long.compare(iterationOf(b), iterationOf(a)));   // newest first
        for (Path old : files.subList(Math.min(keep, files.size()), files.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static long iterationOf(Path file) {
        Matcher m = ITERATION_FILE.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** {@code latest} means this folder's latest.npz; anything else is a path. */
    public Path resolve(String checkpoint) {
        return checkpoint.equals("latest") ? latest() : Path.of(checkpoint);
    }
}
