package charrnn.checkpoint;

import charrnn.checkpoint.CheckpointMeta.CorpusPosition;
import charrnn.model.CellType;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.Precision;
import charrnn.model.StreamState;
import charrnn.optim.LossNormalization;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import charrnn.util.AtomicFile;
import charrnn.util.MemoryLimit;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The checkpoint file: a numpy {@code .npz} archive (a zip of {@code .npy} arrays, so
 * {@code numpy.load} opens it) holding the parameters, the optimizer's state, the carried state and
 * {@code meta.json}: format version 1 (min-char-rnn's names, {@link MinCharEncoding}) for min-char-rnn's
 * configuration, version 2 for every other. The README documents the format.
 */
public final class CheckpointFile {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private CheckpointFile() {
    }

    /** The archive's bytes: version 1 for min-char-rnn's model, version 2 for any other. */
    public static byte[] toBytes(Checkpoint run) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        archive(run, false).writeTo(bytes);
        return bytes.toByteArray();
    }

    /**
     * The checkpoint as the entries of its archive, in order: with {@code copy}, each array is copied
     * (in native memory, not on the Java heap), so that training can change the run's own arrays while
     * the archive is written; without, the arrays themselves.
     */
    static Archive archive(Checkpoint run, boolean copy) {
        List<Archive.Entry> entries = new ArrayList<>();
        String meta;
        if (run.deep().isMinCharConfiguration()) {   // version 1: min-char-rnn's names and shapes
            MinCharEncoding.arrays(run).forEach((name, a) -> entries.add(new Archive.Entry(name, a, false)));
            meta = metaJson(run.meta());
        } else {
            Checkpoint d = run;
            // version 2: parameters by name, optimizer slots as SLOT.NAME, carried state as h.lK and c.lK;
            // vectors 1-D, as PyTorch keeps biases
            ParamSet params = d.params();
            for (String name : params.names()) {
                entries.add(new Archive.Entry(name, params.get(name), d.spec().shape(name).length == 1));
            }
            for (var slot : d.optimizer().state().entrySet()) {
                for (String name : params.names()) {
                    entries.add(new Archive.Entry(slot.getKey() + "." + name, slot.getValue().get(name),
                            d.spec().shape(name).length == 1));
                }
            }
            StreamState state = d.state();
            for (int k = 0; k < state.h.length; k++) {
                entries.add(new Archive.Entry("h.l" + k, state.h[k], false));
                if (state.c != null) {
                    entries.add(new Archive.Entry("c.l" + k, state.c[k], false));
                }
            }
            meta = metaJson(d.meta(), d.deep());
        }
        if (copy) {
            entries.replaceAll(e -> new Archive.Entry(e.name(), e.array().dup('c'), e.vector()));
        }
        return new Archive(entries, meta.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A checkpoint ready to be written: its arrays, each becoming NAME.npy, and meta.json, as numpy's
     * {@code savez} lays them out (uncompressed entries: compressing float noise costs time and saves
     * little). Written as a stream, each array straight from its memory a chunk at a time, so that the
     * Java heap never holds a copy of the model.
     */
    static final class Archive implements AtomicFile.Content {
        record Entry(String name, INDArray array, boolean vector) {
        }

        private static final int CHUNK = 1 << 16;
        private final List<Entry> entries;
        private final byte[] meta;

        Archive(List<Entry> entries, byte[] meta) {
            this.entries = entries;
            this.meta = meta;
        }

        @Override
        public void writeTo(java.io.OutputStream out) throws IOException {
            ZipOutputStream zip = new ZipOutputStream(out);
            byte[] chunk = new byte[CHUNK];
            for (Entry e : entries) {
                byte[] header = Npy.header(e.array(), e.vector());
                java.nio.ByteBuffer data = Npy.data(e.array());
                CRC32 crc = new CRC32();
                crc.update(header);
                crc.update(data.duplicate());
                putStored(zip, e.name() + ".npy", header.length + (long) data.remaining(), crc.getValue());
                zip.write(header);
                while (data.hasRemaining()) {
                    int n = Math.min(chunk.length, data.remaining());
                    data.get(chunk, 0, n);
                    zip.write(chunk, 0, n);
                }
                zip.closeEntry();
            }
            CRC32 crc = new CRC32();
            crc.update(meta);
            putStored(zip, "meta.json", meta.length, crc.getValue());
            zip.write(meta);
            zip.closeEntry();
            zip.finish();
        }

        private static void putStored(ZipOutputStream zip, String name, long size, long crc) throws IOException {
            ZipEntry entry = new ZipEntry(name);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(size);
            entry.setCompressedSize(size);
            entry.setCrc(crc);
            zip.putNextEntry(entry);
        }
    }

    /** Writes {@code checkpoint} to {@code file} atomically: a crash leaves the previous file intact. */
    public static void save(Checkpoint checkpoint, Path file) throws IOException {
        AtomicFile.write(file, archive(checkpoint, false));
    }

    static String metaJson(CheckpointMeta meta) {
        return GSON.toJson(metaObject(meta, null)) + "\n";
    }

    static String metaJson(CheckpointMeta meta, ModelMeta deep) {
        return GSON.toJson(metaObject(meta, deep)) + "\n";
    }

    /** meta.json: version 1 when {@code deep} is null, else version 2. */
    private static JsonObject metaObject(CheckpointMeta meta, ModelMeta deep) {
        JsonObject o = new JsonObject();
        o.addProperty("format", CheckpointMeta.FORMAT);
        o.addProperty("version", deep == null ? CheckpointMeta.VERSION : CheckpointMeta.DEEP_VERSION);
        JsonArray vocab = new JsonArray();
        meta.vocab().forEach(vocab::add);
        o.add("vocab", vocab);
        if (deep != null) {
            o.addProperty("cell", deep.cell().toString());
            o.addProperty("layers", deep.layers());
        }
        o.addProperty("hiddenSize", meta.hiddenSize());
        o.addProperty("seqLength", meta.seqLength());
        if (deep == null) {
            o.addProperty("learningRate", meta.learningRate());
        } else {
            o.addProperty("batchSize", deep.batchSize());
            OptimizerConfig opt = deep.optimizer();
            JsonObject optimizer = new JsonObject();
            optimizer.addProperty("name", opt.kind().toString());
            optimizer.addProperty("learningRate", opt.learningRate());
            switch (opt.kind()) {
                case ADAGRAD -> { }
                case RMSPROP -> optimizer.addProperty("alpha", opt.alpha());
                case ADAM -> {
                    optimizer.addProperty("beta1", opt.beta1());
                    optimizer.addProperty("beta2", opt.beta2());
                }
            }
            optimizer.addProperty("epsilon", opt.epsilon());
            optimizer.addProperty("step", deep.optimizerStep());
            o.add("optimizer", optimizer);
            o.addProperty("dropout", deep.dropout());
            o.addProperty("embeddingSize", deep.embeddingSize());
            o.addProperty("loss", deep.loss().toString());
            o.addProperty("lrDecay", deep.lrDecay());
        }
        o.addProperty("clip", meta.clip());
        o.addProperty("dtype", meta.precision().numpyName());
        o.addProperty("iteration", meta.iteration());
        o.addProperty("smoothLoss", meta.smoothLoss());
        o.addProperty("valFraction", meta.valFraction());
        if (meta.corpus() != null) {
            CorpusPosition c = meta.corpus();
            JsonObject corpus = new JsonObject();
            corpus.addProperty("path", c.path());
            corpus.addProperty("bytes", c.bytes());
            corpus.addProperty("codePoints", c.codePoints());
            corpus.addProperty("position", c.position());
            corpus.addProperty("byteOffset", c.byteOffset());
            if (deep != null && deep.byteOffsets() != null) {
                JsonArray offsets = new JsonArray();
                for (long b : deep.byteOffsets()) {
                    offsets.add(b);
                }
                corpus.add("byteOffsets", offsets);
            }
            corpus.addProperty("fingerprint", c.fingerprint());
            o.add("corpus", corpus);
        }
        if (meta.rngState() != null) {
            JsonObject rng = new JsonObject();
            rng.addProperty("algorithm", "splitmix64");
            // a string: JSON readers (numpy's among them) lose bits of 64-bit integers
            rng.addProperty("state", Long.toUnsignedString(meta.rngState()));
            o.add("rng", rng);
        }
        if (deep != null && deep.dropoutRngState() != null) {
            JsonObject rng = new JsonObject();
            rng.addProperty("algorithm", "splitmix64");
            rng.addProperty("state", Long.toUnsignedString(deep.dropoutRngState()));
            o.add("dropoutRng", rng);
        }
        return o;
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
            Parsed parsed = parse(file, readEntry(file, zip, "meta.json", MAX_META_BYTES));
            CheckpointMeta meta = parsed.meta();
            requireMemory(file, parsed);
            if (parsed.deep() != null) {
                return readDeep(file, zip, meta, parsed.deep());
            }
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(MinCharEncoding.NAMES);
            MinCharEncoding.NAMES.forEach(p -> names.add("m" + p));
            names.add("hprev");
            for (String name : names) {
                arrays.put(name, readNpy(file, zip, name, meta, shape -> checkShape(file, name, shape, meta)));
            }
            return MinCharEncoding.decode(arrays, meta);
        } catch (ZipException | java.io.EOFException e) {
            throw new CheckpointException(file + " is truncated or corrupt, or not a checkpoint (not a readable "
                    + "zip archive)");
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": no such checkpoint");
        }
    }

    /**
     * The largest meta.json read: far above any real one (a vocabulary of 100,000 characters and the byte
     * offsets of 10,000 streams take about 2 MiB), far below what would exhaust the heap, so that an entry
     * that inflates to gigabytes is refused in one line.
     */
    static final int MAX_META_BYTES = 16 << 20;

    /** What meta.json says: the fields both versions share, and version 2's own (null for version 1). */
    record Parsed(CheckpointMeta meta, ModelMeta deep) {
        ModelSpec spec() {
            return new ModelSpec(deep == null ? CellType.RNN : deep.cell(), deep == null ? 1 : deep.layers(),
                    meta.hiddenSize(), meta.vocab().size(), meta.precision(), deep == null ? 0 : deep.embeddingSize());
        }
    }

    /** Parses and checks meta.json's bytes; any problem is a {@link CheckpointException} naming the field. */
    static Parsed parse(Path file, byte[] json) {
        JsonObject o = parseObject(file, json);
        CheckpointMeta meta = parseMeta(file, o);
        boolean deep = new Meta(file, o).integer("version") == CheckpointMeta.DEEP_VERSION;
        return new Parsed(meta, deep ? parseDeep(file, o, meta) : null);
    }

    /**
     * Refuses, before a single array is allocated, a checkpoint whose meta.json describes a model too
     * large for this machine's memory (the arrays' shapes must then match it, so nothing larger is read).
     */
    private static void requireMemory(Path file, Parsed parsed) {
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

    /** Checks an array's shape (rows, columns; a vector of n is n×1) before its values are read. */
    private interface ShapeCheck {
        void check(long[] shape);
    }

    /**
     * The array of entry NAME.npy. Its header is read first and checked against meta.json (shape, by
     * {@code check}, and dtype) before anything is allocated; then its values are read straight into the
     * array's memory, and the entry must end there: an entry cannot make the reader hold more than the
     * model meta.json describes.
     */
    private static INDArray readNpy(Path file, ZipFile zip, String name, CheckpointMeta meta, ShapeCheck check)
            throws IOException {
        String entryName = name + ".npy";
        String label = file + ": " + entryName;
        ZipEntry entry = entry(file, zip, entryName);
        if (entry == null) {
            throw new CheckpointException(file + " has no " + entryName);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            Npy.Header header = Npy.header(label, in);
            check.check(header.shape());
            if (header.width() != meta.precision().dataType().width()) {
                throw new CheckpointException(String.format("%s: %s is %s but meta.json says dtype %s", file, name,
                        header.width() == 8 ? "float64" : "float32", meta.precision().numpyName()));
            }
            long size = header.length() + header.dataBytes();
            if (entry.getSize() >= 0 && entry.getSize() != size) {   // the zip's own record of the size
                throw new CheckpointException(String.format("%s should hold %d values of %d bytes but the archive "
                        + "lists %d bytes for it", label, header.count(), header.width(),
                        entry.getSize() - header.length()));
            }
            INDArray a = Npy.read(label, header, in);
            requireFinite(file, name, a);
            return a;
        } catch (ZipException | java.io.EOFException e) {
            throw new CheckpointException(file + " is truncated or corrupt: cannot read " + entryName);
        }
    }

    /**
     * The archive's entry of that name, or null. (ZipFile throws IllegalArgumentException when an entry's
     * name in the archive's directory is not the UTF-8 it claims to be.)
     */
    private static ZipEntry entry(Path file, ZipFile zip, String name) {
        try {
            return zip.getEntry(name);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + " is corrupt, or not a checkpoint: an entry's name in the archive is "
                    + "not valid UTF-8");
        }
    }

    /** The entry's bytes, refused when it inflates to more than maxBytes. */
    private static byte[] readEntry(Path file, ZipFile zip, String name, int maxBytes) throws IOException {
        ZipEntry entry = entry(file, zip, name);
        if (entry == null) {
            throw new CheckpointException(name.equals("meta.json")
                    ? file + " is not a charrnn checkpoint: it has no meta.json"
                    : file + " has no " + name);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes(maxBytes);
            if (in.read() != -1) {
                throw new CheckpointException(String.format("%s: %s is larger than %d MiB; a charrnn checkpoint's is "
                        + "far smaller (corrupt, or not a checkpoint)", file, name, maxBytes >> 20));
            }
            return bytes;
        } catch (ZipException | java.io.EOFException e) {
            throw new CheckpointException(file + " is truncated or corrupt: cannot read " + name);
        }
    }

    /** A version 1 array's shape against meta.json's hiddenSize and vocabulary. */
    private static void checkShape(Path file, String name, long[] shape, CheckpointMeta meta) {
        long h = meta.hiddenSize();
        long v = meta.vocab().size();
        String base = name.startsWith("m") ? name.substring(1) : name;
        long[] expected = switch (base) {
            case "Wxh" -> new long[] {h, v};
            case "Whh" -> new long[] {h, h};
            case "Why" -> new long[] {v, h};
            case "bh", "hprev" -> new long[] {h, 1};
            case "by" -> new long[] {v, 1};
            default -> throw new IllegalStateException(name);
        };
        if (shape[0] != expected[0] || shape[1] != expected[1]) {
            throw new CheckpointException(String.format(
                    "%s: %s is %d×%d but meta.json (hiddenSize %d, %d vocabulary entries) needs %d×%d",
                    file, name, shape[0], shape[1], h, v, expected[0], expected[1]));
        }
    }

    /** Refuses NaN and infinite values, a chunk at a time (no copy of the whole array on the heap). */
    private static void requireFinite(Path file, String name, INDArray a) {
        java.nio.ByteBuffer memory = a.data().asNio().duplicate().order(java.nio.ByteOrder.nativeOrder());
        long n = a.length();
        boolean isDouble = a.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE;
        for (int i = 0; i < n; i++) {
            double value = isDouble ? memory.getDouble(i * 8) : memory.getFloat(i * 4);
            if (!Double.isFinite(value)) {
                throw new CheckpointException(String.format("%s: %s holds %s at flat index %d", file, name, value, i));
            }
        }
    }

    /** Version 2's own fields of meta.json: cell, layers, batch, optimizer, dropout, stream offsets. */
    private static ModelMeta parseDeep(Path file, JsonObject o, CheckpointMeta meta) {
        Meta m = new Meta(file, o);
        CellType cell = CellType.parse(m.string("cell"));
        if (cell == null) {
            throw m.wrong("cell", "\"rnn\", \"lstm\" or \"gru\"");
        }
        int layers = (int) m.positive("layers");
        int batchSize = (int) m.positive("batchSize");
        Meta opt = m.object("optimizer");
        OptimizerConfig.Kind kind = OptimizerConfig.Kind.parse(opt.string("name"));
        if (kind == null) {
            throw opt.wrong("name", "\"adagrad\", \"rmsprop\" or \"adam\"");
        }
        OptimizerConfig optimizer;
        try {
            optimizer = new OptimizerConfig(kind, opt.positiveNumber("learningRate"),
                    opt.optionalNumber("alpha", OptimizerConfig.ALPHA), opt.optionalNumber("beta1", OptimizerConfig.BETA1),
                    opt.optionalNumber("beta2", OptimizerConfig.BETA2),
                    opt.optionalNumber("epsilon", OptimizerConfig.EPSILON));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": meta.json optimizer: " + e.getMessage());
        }
        long step = opt.o().has("step") ? opt.integer("step") : 0;
        if (step < 0) {
            throw opt.wrong("step", "a non-negative integer");
        }
        double dropout = m.number("dropout");
        if (!(dropout >= 0 && dropout < 1)) {
            throw m.wrong("dropout", "within [0, 1)");
        }
        long[] byteOffsets = null;
        if (meta.corpus() != null) {
            Meta c = m.object("corpus");
            if (!c.o().has("byteOffsets")) {
                throw c.wrong("byteOffsets", "a list of " + batchSize + " byte offsets");
            }
            JsonElement e = c.field("byteOffsets");
            if (!e.isJsonArray() || e.getAsJsonArray().size() != batchSize) {
                throw c.wrong("byteOffsets", "a list of " + batchSize + " byte offsets");
            }
            byteOffsets = new long[batchSize];
            for (int i = 0; i < batchSize; i++) {
                long b = Meta.exactLong(e.getAsJsonArray().get(i));
                if (b < 0) {
                    throw c.wrong("byteOffsets", "a list of " + batchSize + " byte offsets");
                }
                byteOffsets[i] = b;
            }
        }
        Long dropoutRng = o.has("dropoutRng") && !o.get("dropoutRng").isJsonNull()
                ? m.object("dropoutRng").rngState() : null;
        long embeddingSize = o.has("embeddingSize") ? m.integer("embeddingSize") : 0;
        if (embeddingSize < 0 || embeddingSize > Integer.MAX_VALUE) {
            throw m.wrong("embeddingSize", "0 (one-hot input) or a positive integer");
        }
        LossNormalization loss = o.has("loss") ? LossNormalization.parse(m.string("loss")) : LossNormalization.SUM;
        if (loss == null) {
            throw m.wrong("loss", "\"sum\" or \"mean\"");
        }
        double lrDecay = o.has("lrDecay") ? m.number("lrDecay") : 0;
        if (!(lrDecay >= 0 && lrDecay <= 1)) {
            throw m.wrong("lrDecay", "within [0, 1]");
        }
        return new ModelMeta(cell, layers, batchSize, optimizer, step, dropout, dropoutRng, byteOffsets,
                (int) embeddingSize, loss, lrDecay);
    }

    /** Version 2: the arrays by name; absent optimizer state and carried state are zero. */
    private static Checkpoint readDeep(Path file, ZipFile zip, CheckpointMeta meta, ModelMeta deep)
            throws IOException {
        ModelSpec spec = new ModelSpec(deep.cell(), deep.layers(), meta.hiddenSize(), meta.vocab().size(),
                meta.precision(), deep.embeddingSize());
        ParamSet params = ParamSet.of(spec, readArrays(file, zip, spec, "", meta, true));
        Map<String, ParamSet> slots = new LinkedHashMap<>();
        for (String slot : Optimizer.slots(deep.optimizer().kind())) {
            slots.put(slot, ParamSet.of(spec, readArrays(file, zip, spec, slot + ".", meta, false)));
        }
        StreamState state = StreamState.zeros(spec, deep.batchSize());
        for (int k = 0; k < deep.layers(); k++) {
            readState(file, zip, "h.l" + k, state.h[k], meta);
            if (state.c != null) {
                readState(file, zip, "c.l" + k, state.c[k], meta);
            }
        }
        return new Checkpoint(params, Optimizer.restore(deep.optimizer(), slots, deep.optimizerStep()), state,
                meta, deep);
    }

    /** PREFIX + each parameter name; absent ones are zero unless {@code required}. */
    private static Map<String, INDArray> readArrays(Path file, ZipFile zip, ModelSpec spec, String prefix,
                                                    CheckpointMeta meta, boolean required) throws IOException {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (String name : spec.paramNames()) {
            String entry = prefix + name;
            if (!required && entry(file, zip, entry + ".npy") == null) {
                long[] s = spec.shape(name);
                arrays.put(name, org.nd4j.linalg.factory.Nd4j.zeros(spec.precision().dataType(),
                        s.length == 1 ? 1 : s[0], s[s.length - 1]));
                continue;
            }
            long[] expected = spec.shape(name);
            arrays.put(name, readNpy(file, zip, entry, meta, shape -> {
                boolean fits = expected.length == 1 ? shape[0] * shape[1] == expected[0]
                        : shape[0] == expected[0] && shape[1] == expected[1];
                if (!fits) {
                    throw new CheckpointException(String.format(
                            "%s: %s is %d×%d but meta.json (cell %s, %d layers, hiddenSize %d, %s%d vocabulary "
                                    + "entries) needs %s", file, entry, shape[0], shape[1], spec.cell(), spec.layers(),
                            spec.hiddenSize(), spec.embedded() ? "embeddingSize " + spec.embeddingSize() + ", " : "",
                            spec.vocabSize(), expected.length == 1 ? "a vector of " + expected[0]
                                    : expected[0] + "×" + expected[1]));
                }
            }));
        }
        return arrays;
    }

    private static void readState(Path file, ZipFile zip, String entry, INDArray into, CheckpointMeta meta)
            throws IOException {
        if (entry(file, zip, entry + ".npy") == null) {
            return;   // zero
        }
        INDArray a = readNpy(file, zip, entry, meta, shape -> {
            if (shape[0] * shape[1] != into.length()) {
                throw new CheckpointException(String.format("%s: %s is %d×%d but meta.json (batchSize %d, hiddenSize "
                        + "%d) needs %d×%d", file, entry, shape[0], shape[1], into.rows(), into.columns(), into.rows(),
                        into.columns()));
            }
        });
        into.assign(a.reshape('c', into.shape()));
    }

    /** Nesting deeper than any meta.json's (3: the corpus's byteOffsets), far below what the stack allows. */
    static final int MAX_META_NESTING = 16;

    /** The longest string field (a corpus path among them: Linux allows 4,096 bytes). */
    static final int MAX_META_STRING = 4096;

    private static JsonObject parseObject(Path file, byte[] json) {
        try {
            com.google.gson.stream.JsonReader reader = new com.google.gson.stream.JsonReader(
                    new java.io.StringReader(new String(json, StandardCharsets.UTF_8)));
            reader.setNestingLimit(MAX_META_NESTING);
            JsonElement e = JsonParser.parseReader(reader);
            if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
                throw new CheckpointException(file + ": meta.json is not valid JSON");
            }
            if (!e.isJsonObject()) {
                throw new CheckpointException(file + ": meta.json is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw new CheckpointException(file + ": meta.json is not valid JSON");
        }
    }

    /** The fields versions 1 and 2 share (version 2's learning rate is its optimizer's). */
    static CheckpointMeta parseMeta(Path file, JsonObject o) {
        Meta m = new Meta(file, o);
        String format = m.string("format");
        if (!CheckpointMeta.FORMAT.equals(format)) {
            throw new CheckpointException(file + " is not a charrnn checkpoint: meta.json format is \""
                    + Npy.shown(format)
                    + "\", expected \"" + CheckpointMeta.FORMAT + "\"");
        }
        long version = m.integer("version");
        if (version != CheckpointMeta.VERSION && version != CheckpointMeta.DEEP_VERSION) {
            throw new CheckpointException(file + " has checkpoint format version " + version
                    + "; this charrnn reads versions " + CheckpointMeta.VERSION + " and " + CheckpointMeta.DEEP_VERSION);
        }
        List<String> vocab = m.vocab();
        int hiddenSize = (int) m.positive("hiddenSize");
        int seqLength = (int) m.positive("seqLength");
        double learningRate = version == CheckpointMeta.VERSION ? m.positiveNumber("learningRate")
                : m.object("optimizer").positiveNumber("learningRate");
        double clip = m.positiveNumber("clip");
        String dtype = m.string("dtype");
        Precision precision = switch (dtype) {
            case "float64" -> Precision.DOUBLE;
            case "float32" -> Precision.FLOAT;
            default -> throw new CheckpointException(file + ": meta.json dtype is \"" + Npy.shown(dtype)
                    + "\", expected \"float64\" or \"float32\"");
        };
        long iteration = m.integer("iteration");
        if (iteration < 0) {
            throw new CheckpointException(file + ": meta.json iteration is negative");
        }
        double smoothLoss = m.number("smoothLoss");
        if (!Double.isFinite(smoothLoss)) {
            throw new CheckpointException(file + ": meta.json smoothLoss is not a finite number");
        }
        CorpusPosition corpus = null;
        if (o.has("corpus") && !o.get("corpus").isJsonNull()) {
            Meta c = m.object("corpus");
            String path = c.string("path");
            if (path.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7F)) {
                throw c.wrong("path", "a file path without control characters");
            }
            corpus = new CorpusPosition(path, c.integer("bytes"), c.integer("codePoints"),
                    c.integer("position"), c.integer("byteOffset"), c.string("fingerprint"));
        }
        Long rngState = null;
        if (o.has("rng") && !o.get("rng").isJsonNull()) {
            rngState = m.object("rng").rngState();
        }
        double valFraction = o.has("valFraction") ? m.number("valFraction") : 0.0;
        if (!(valFraction >= 0 && valFraction <= 0.5)) {
            throw new CheckpointException(file + ": meta.json valFraction must be within [0, 0.5]");
        }
        return new CheckpointMeta(vocab, hiddenSize, seqLength, learningRate, clip, precision, iteration,
                smoothLoss, corpus, rngState, valFraction);
    }

    /** Typed access to meta.json fields with messages that name the file and the field. */
    private record Meta(Path file, JsonObject o, String prefix) {
        Meta(Path file, JsonObject o) {
            this(file, o, "");
        }

        JsonElement field(String key) {
            JsonElement e = o.get(key);
            if (e == null || e.isJsonNull()) {
                throw new CheckpointException(file + ": meta.json has no " + prefix + key);
            }
            return e;
        }

        CheckpointException wrong(String key, String what) {
            return new CheckpointException(file + ": meta.json " + prefix + key + " must be " + what);
        }

        String string(String key) {
            JsonElement e = field(key);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw wrong(key, "a string");
            }
            if (e.getAsString().length() > MAX_META_STRING) {
                throw wrong(key, "a string of at most " + MAX_META_STRING + " characters");
            }
            return e.getAsString();
        }

        double number(String key) {
            JsonElement e = field(key);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw wrong(key, "a number");
            }
            return e.getAsDouble();
        }

        long integer(String key) {
            long v = exactLong(field(key));
            if (v == NOT_AN_INTEGER) {
                throw wrong(key, "an integer");
            }
            return v;
        }

        /** A JSON number that is exactly a 64-bit integer; else NOT_AN_INTEGER (a negative sentinel). */
        static long exactLong(JsonElement e) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()
                    || e.getAsJsonPrimitive().getAsString().length() > 40) {
                return NOT_AN_INTEGER;
            }
            try {
                long v = e.getAsBigDecimal().longValueExact();
                return v == NOT_AN_INTEGER ? NOT_AN_INTEGER : v;
            } catch (ArithmeticException | NumberFormatException ex) {
                return NOT_AN_INTEGER;
            }
        }

        static final long NOT_AN_INTEGER = Long.MIN_VALUE;

        long positive(String key) {
            long v = integer(key);
            if (v <= 0 || v > Integer.MAX_VALUE) {
                throw wrong(key, "a positive integer");
            }
            return v;
        }

        double positiveNumber(String key) {
            double v = number(key);
            if (!(v > 0) || Double.isInfinite(v)) {
                throw wrong(key, "a positive number");
            }
            return v;
        }

        double optionalNumber(String key, double fallback) {
            return o.has(key) && !o.get(key).isJsonNull() ? number(key) : fallback;
        }

        /** The state of a splitmix64 stream: {"algorithm": "splitmix64", "state": "unsigned decimal"}. */
        long rngState() {
            if (!"splitmix64".equals(string("algorithm"))) {
                throw new CheckpointException(file + ": meta.json " + prefix + "algorithm must be \"splitmix64\"");
            }
            try {
                return Long.parseUnsignedLong(string("state"));
            } catch (NumberFormatException e) {
                throw new CheckpointException(file + ": meta.json " + prefix + "state is not an unsigned 64-bit "
                        + "integer");
            }
        }

        Meta object(String key) {
            JsonElement e = field(key);
            if (!e.isJsonObject()) {
                throw wrong(key, "an object");
            }
            return new Meta(file, e.getAsJsonObject(), prefix + key + ".");
        }

        List<String> vocab() {
            JsonElement e = field("vocab");
            if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
                throw wrong("vocab", "a non-empty list of one-character strings");
            }
            List<String> vocab = new ArrayList<>();
            int previous = -1;
            for (JsonElement c : e.getAsJsonArray()) {
                if (!c.isJsonPrimitive() || !c.getAsJsonPrimitive().isString()
                        || c.getAsString().codePointCount(0, c.getAsString().length()) != 1) {
                    throw wrong("vocab", "a list of one-character strings");
                }
                int cp = c.getAsString().codePointAt(0);
                if (cp <= previous) {
                    throw wrong("vocab", "sorted by code point, without repeats");
                }
                previous = cp;
                vocab.add(c.getAsString());
            }
            return vocab;
        }
    }
}
