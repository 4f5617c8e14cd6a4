package charrnn.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoint folder: {@code iter-NNNNNNNN.npz} per saved iteration, {@code latest.npz} always the
 * newest, and only the newest {@code keep} iteration files kept.
 */
public final class CheckpointDir implements AutoCloseable {
    public static final String LATEST = "latest.npz";
    private static final Pattern ITERATION_FILE = Pattern.compile("iter-(\\d+)\\.npz");

    private final Path dir;
    private final int keep;
    private ExecutorService writer;      // made on the first background save
    private Future<?> pending;

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

    /**
     * Writes the checkpoint as its iteration's file and as latest.npz, then prunes old files; first
     * waits for a background save still under way.
     */
    public Path save(SavedRun checkpoint) throws IOException {
        byte[] bytes = CheckpointFile.toBytes(checkpoint);
        awaitWrites();
        return write(bytes, checkpoint.meta().iteration());
    }

    /**
     * Takes the checkpoint's bytes now (training may change the arrays as soon as this returns) and
     * writes them on a background thread, after any save still under way, so training does not wait
     * for the disk. A failed write is passed to {@code onFailure} on that thread.
     */
    public void saveInBackground(SavedRun checkpoint, Consumer<IOException> onFailure) throws IOException {
        byte[] bytes = CheckpointFile.toBytes(checkpoint);
        long iteration = checkpoint.meta().iteration();
        if (writer == null) {
            writer = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "charrnn-checkpoint-writer");
                t.setDaemon(true);
                return t;
            });
        }
        pending = writer.submit(() -> {
            try {
                write(bytes, iteration);
            } catch (IOException e) {
                onFailure.accept(e);
            }
        });
    }

    /** Waits until every background save has finished. */
    public void awaitWrites() {
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("checkpoint writer failed", e.getCause());
        }
    }

    /** The file a checkpoint of that iteration goes to. */
    public Path fileFor(long iteration) {
        return dir.resolve(String.format("iter-%08d.npz", iteration));
    }

    private Path write(byte[] bytes, long iteration) throws IOException {
        Path file = fileFor(iteration);
        AtomicFile.write(file, bytes);
        AtomicFile.link(latest(), file, bytes);
        prune();
        return file;
    }

    /** Finishes background saves and stops the writer thread. */
    @Override
    public void close() {
        awaitWrites();
        if (writer != null) {
            writer.shutdown();
        }
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

    /** Deletes every checkpoint of the folder (iteration files and latest.npz), for a run that replaces them. */
    public void clear() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (ITERATION_FILE.matcher(name).matches() || name.equals(LATEST)) {
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
