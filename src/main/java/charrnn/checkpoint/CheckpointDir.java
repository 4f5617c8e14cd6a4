package charrnn.checkpoint;

import charrnn.util.AtomicFile;
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
    private volatile long completed = -1;   // set only by the thread that wrote the files
    private volatile long intact = -1;

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
    public Path save(Checkpoint checkpoint) throws IOException {
        awaitWrites();
        return write(CheckpointFile.archive(checkpoint, false), checkpoint.meta().iteration());
    }

    /**
     * Copies the checkpoint's arrays now (training may change its own as soon as this returns) and
     * writes them on a background thread, so training does not wait for the disk. At most one save is
     * under way: a save still writing is waited for first, so copies never pile up in memory when the
     * disk is slower than the checkpoints. A failed write is passed to {@code onFailure} on that thread.
     */
    public void saveInBackground(Checkpoint checkpoint, Consumer<Exception> onFailure) {
        saveInBackground(checkpoint, onFailure, file -> { });
    }

    /** {@link #saveInBackground(Checkpoint, Consumer)}, telling {@code onWritten} (on that thread) the file. */
    public void saveInBackground(Checkpoint checkpoint, Consumer<Exception> onFailure, Consumer<Path> onWritten) {
        awaitWrites();
        NpzArchive archive = CheckpointFile.archive(checkpoint, true);
        long iteration = checkpoint.meta().iteration();
        if (writer == null) {
            writer = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "charrnn-checkpoint-writer");
                t.setDaemon(true);
                return t;
            });
        }
        pending = writer.submit(() -> {
            Path file;
            try {
                file = write(archive, iteration);
            } catch (Exception e) {
                onFailure.accept(e);
                return;
            }
            onWritten.accept(file);
        });
    }

    /** Waits until every background save has finished (its failure, if any, went to its onFailure). */
    public void awaitWrites() {
        if (pending == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                pending.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;   // the write is short; a stop request must not lose it
            } catch (ExecutionException e) {
                break;                // (the task catches everything; reported there)
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The iteration of the newest checkpoint this object wrote whole, with latest.npz naming it; -1: none. */
    public long completed() {
        return completed;
    }

    /** The newest iteration file this object wrote whole (latest.npz may not name it), or null. */
    public Path newestIntact() {
        long it = intact;
        return it < 0 ? null : fileFor(it);
    }

    /** The file a checkpoint of that iteration goes to. */
    public Path fileFor(long iteration) {
        return dir.resolve(String.format("iter-%08d.npz", iteration));
    }

    /** Writes the iteration's file, then latest.npz; {@link #completed()} moves only when both are done. */
    private Path write(AtomicFile.Content archive, long iteration) throws IOException {
        Path file = fileFor(iteration);
        AtomicFile.write(file, archive);
        intact = iteration;
        AtomicFile.link(latest(), file);
        completed = iteration;
        prune(file);
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

    /** Deletes all but the newest {@code keep} iteration files, never {@code written} (the one just saved). */
    private void prune(Path written) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> ITERATION_FILE.matcher(p.getFileName().toString()).matches()).forEach(files::add);
        }
        files.removeIf(f -> f.getFileName().equals(written.getFileName()));
        files.sort((a, b) -> Long.compare(iterationOf(b), iterationOf(a)));   // newest first
        files.add(0, written);
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
