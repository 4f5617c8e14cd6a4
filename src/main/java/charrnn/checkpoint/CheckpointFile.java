package charrnn.checkpoint;

import charrnn.model.CellType;
import charrnn.model.ModelSpec;
import charrnn.optim.Optimizer;
import charrnn.util.AtomicFile;
import charrnn.util.MemoryLimit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The checkpoint file: a numpy {@code .npz} archive (a zip of {@code .npy} arrays, so {@code numpy.load}
 * opens it; {@link NpzArchive}) holding the parameters, the optimizer's state, the carried state and
 * {@code meta.json} ({@link MetaJson}), in one of two encodings of the one {@link Checkpoint}: format
 * version 1 ({@link MinCharEncoding}, min-char-rnn's names) for min-char-rnn's configuration, version 2
 * ({@link ModelEncoding}) for every other. The README documents the format.
 */
public final class CheckpointFile {
    private CheckpointFile() {
    }

    /** The archive's bytes. */
    public static byte[] toBytes(Checkpoint run) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        archive(run, false).writeTo(bytes);
        return bytes.toByteArray();
    }

    /** Writes {@code checkpoint} to {@code file} atomically: a crash leaves the previous file intact. */
    public static void save(Checkpoint checkpoint, Path file) throws IOException {
        AtomicFile.write(file, archive(checkpoint, false));
    }

    /**
     * The checkpoint as the entries of its archive, in order: with {@code copy}, each array is copied
     * (in native memory, not on the Java heap), so that training can change the run's own arrays while
     * the archive is written; without, the arrays themselves.
     */
    static NpzArchive archive(Checkpoint run, boolean copy) {
        List<NpzArchive.Entry> entries = new ArrayList<>();
        String meta;
        if (run.deep().isMinCharConfiguration()) {
            MinCharEncoding.arrays(run).forEach((name, a) -> entries.add(new NpzArchive.Entry(name, a, false)));
            meta = MetaJson.write(run.meta());
        } else {
            entries.addAll(ModelEncoding.entries(run).values());
            meta = MetaJson.write(run.meta(), run.deep());
        }
        if (copy) {
            entries.replaceAll(e -> new NpzArchive.Entry(e.name(), e.array().dup('c'), e.vector()));
        }
        return new NpzArchive(entries, meta.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads and checks a checkpoint of either version; any problem is a {@link CheckpointException}. */
    public static Checkpoint read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new CheckpointException(file + " is a directory, not a checkpoint");
        }
        if (!Files.exists(file)) {
            throw new CheckpointException(file + ": no such checkpoint");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            MetaJson.Parsed parsed = MetaJson.parse(file,
                    NpzArchive.readEntry(file, zip, "meta.json", MetaJson.MAX_META_BYTES));
            requireMemory(file, parsed);
            return parsed.deep() != null ? ModelEncoding.read(file, zip, parsed.meta(), parsed.deep())
                    : MinCharEncoding.read(file, zip, parsed.meta());
        } catch (ZipException | java.io.EOFException e) {
            throw new CheckpointException(file + " is truncated or corrupt, or not a checkpoint (not a readable "
                    + "zip archive)");
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": no such checkpoint");
        }
    }

    /**
     * Refuses, before a single array is allocated, a checkpoint whose meta.json describes a model too
     * large for this machine's memory (the arrays' shapes must then match it, so nothing larger is read).
     */
    private static void requireMemory(Path file, MetaJson.Parsed parsed) {
        ModelSpec spec = parsed.spec();
        // in floating point: a meta.json may describe more than 2^63 values, which long arithmetic would wrap
        double params = spec.parameterCountEstimate();
        double h = spec.hiddenSize();
        double values;
        if (parsed.deep() == null) {
            values = 2 * params + h;   // parameters, Adagrad memories, hprev
        } else {
            ModelMeta d = parsed.deep();
            double state = (double) spec.layers() * d.batchSize() * h * (spec.cell() == CellType.LSTM ? 2 : 1);
            values = params * (1 + Optimizer.slots(d.optimizer().kind()).size()) + state;
        }
        // and the windows a scorer or sampler works on: T+1 steps of every layer's gates and states and the logits
        double steps = parsed.meta().seqLength() + 1.0;
        values += steps * (spec.layers() * (spec.cell().gates + 6.0) * h + 3.0 * spec.vocabSize());
        double need = values * parsed.meta().precision().dataType().width();
        long available = MemoryLimit.available();
        if (need > available) {
            throw new CheckpointException(String.format("%s: meta.json describes a model of %,.0f parameters whose "
                    + "arrays need %s of memory; %s is available", file, params,
                    MemoryLimit.human(need), MemoryLimit.human(available)));
        }
    }
}
