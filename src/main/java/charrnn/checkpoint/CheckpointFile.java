package charrnn.checkpoint;

import charrnn.checkpoint.CheckpointMeta.CorpusPosition;
import charrnn.model.Adagrad;
import charrnn.model.CellType;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.StreamState;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import charrnn.model.Params;
import charrnn.model.Precision;
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
 * {@code numpy.load} opens it) holding the parameters, the Adagrad memories ({@code m} + name), the
 * hidden state {@code hprev} and {@code meta.json}. The README documents the format.
 */
public final class CheckpointFile {
    static final List<String> PARAMS = List.of("Wxh", "Whh", "Why", "bh", "by");
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private CheckpointFile() {
    }

    /** The archive's bytes: version 1 for min-char-rnn's model, version 2 for any other. */
    public static byte[] toBytes(SavedRun run) throws IOException {
        return run instanceof DeepCheckpoint d ? toBytes(d) : toBytes((Checkpoint) run);
    }

    /** Version 2: parameters by name, optimizer slots as SLOT.NAME, carried state as h.lK and c.lK. */
    private static byte[] toBytes(DeepCheckpoint checkpoint) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ParamSet params = checkpoint.params();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String name : params.names()) {
                putArray(zip, name, name, params.get(name), checkpoint.spec());
            }
            for (var slot : checkpoint.optimizer().state().entrySet()) {
                for (String name : params.names()) {
                    putArray(zip, slot.getKey() + "." + name, name, slot.getValue().get(name), checkpoint.spec());
                }
            }
            StreamState state = checkpoint.state();
            for (int k = 0; k < state.h.length; k++) {
                putStored(zip, "h.l" + k + ".npy", Npy.write(state.h[k]));
                if (state.c != null) {
                    putStored(zip, "c.l" + k + ".npy", Npy.write(state.c[k]));
                }
            }
            putStored(zip, "meta.json", metaJson(checkpoint.meta(), checkpoint.deep())
                    .getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** A parameter-shaped array: vectors 1-D, as PyTorch keeps biases. */
    private static void putArray(ZipOutputStream zip, String entry, String param, INDArray a, ModelSpec spec)
            throws IOException {
        putStored(zip, entry + ".npy", Npy.write(a, spec.shape(param).length == 1));
    }

    private static byte[] toBytes(Checkpoint checkpoint) throws IOException {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < PARAMS.size(); i++) {
            arrays.put(PARAMS.get(i), checkpoint.params().all().get(i));
        }
        for (int i = 0; i < PARAMS.size(); i++) {
            arrays.put("m" + PARAMS.get(i), checkpoint.adagrad().all().get(i));
        }
        arrays.put("hprev", checkpoint.hprev());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                putStored(zip, e.getKey() + ".npy", Npy.write(e.getValue()));
            }
            putStored(zip, "meta.json", metaJson(checkpoint.meta()).getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** An uncompressed entry, as numpy.savez writes them: compressing float noise costs time and saves little. */
    private static void putStored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    /** Writes {@code checkpoint} to {@code file} atomically: a crash leaves the previous file intact. */
    public static void save(SavedRun checkpoint, Path file) throws IOException {
        AtomicFile.write(file, toBytes(checkpoint));
    }

    static String metaJson(CheckpointMeta meta) {
        return GSON.toJson(metaObject(meta, null)) + "\n";
    }

    static String metaJson(CheckpointMeta meta, DeepMeta deep) {
        return GSON.toJson(metaObject(meta, deep)) + "\n";
    }

    /** meta.json: version 1 when {@code deep} is null, else version 2. */
    private static JsonObject metaObject(CheckpointMeta meta, DeepMeta deep) {
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

    /**
     * Reads and checks a min-char-rnn checkpoint (version 1); any problem, a version 2 file among them, is
     * a {@link CheckpointException} naming the file.
     */
    public static Checkpoint load(Path file) throws IOException {
        SavedRun run = read(file);
        if (run instanceof Checkpoint c) {
            return c;
        }
        throw new CheckpointException(file + " holds a " + ((DeepCheckpoint) run).deep().cell()
                + " model (format version 2), not min-char-rnn's");
    }

    /** Reads and checks a checkpoint of either version; any problem is a {@link CheckpointException}. */
    public static SavedRun read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new CheckpointException(file + " is a directory, not a checkpoint");
        }
        if (!Files.exists(file)) {
            throw new CheckpointException(file + ": no such checkpoint");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            JsonObject o = parseObject(file, readEntry(file, zip, "meta.json", MAX_META_BYTES));
            if (new Meta(file, o).integer("version") == CheckpointMeta.DEEP_VERSION) {
                return readDeep(file, zip, o);
            }
            CheckpointMeta meta = parseMeta(file, o);
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(PARAMS);
            PARAMS.forEach(p -> names.add("m" + p));
            names.add("hprev");
            for (String name : names) {
                INDArray a = readNpy(file, zip, name);
                checkArray(file, name, a, meta);
                arrays.put(name, a);
            }
            Params params = new Params(arrays.get("Wxh"), arrays.get("Whh"), arrays.get("Why"), arrays.get("bh"),
                    arrays.get("by"));
            Adagrad adagrad = new Adagrad(meta.learningRate(), arrays.get("mWxh"), arrays.get("mWhh"),
                    arrays.get("mWhy"), arrays.get("mbh"), arrays.get("mby"));
            return new Checkpoint(params, adagrad, arrays.get("hprev"), meta);
        } catch (ZipException e) {
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

    /** Enough for any .npy header (numpy pads them to 64-byte steps; format version 1 caps them at 64 KiB). */
    static final int MAX_NPY_HEADER_BYTES = 1 << 20;

    /**
     * The array of entry NAME.npy, read no further than its header's shape needs (and one byte more, so
     * that a longer entry is noticed): an entry that inflates beyond its shape cannot fill the heap.
     */
    private static INDArray readNpy(Path file, ZipFile zip, String name) throws IOException {
        String entryName = name + ".npy";
        String label = file + ": " + entryName;
        ZipEntry entry = zip.getEntry(entryName);
        if (entry == null) {
            throw new CheckpointException(file + " has no " + entryName);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] head = in.readNBytes(MAX_NPY_HEADER_BYTES);
            long size = Npy.header(label, java.nio.ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN))
                    .bytes();
            if (size + 1 > Integer.MAX_VALUE - 8) {
                throw new CheckpointException(label + " is too large: " + size + " bytes");
            }
            byte[] bytes;
            if (head.length > size) {
                bytes = java.util.Arrays.copyOf(head, (int) size + 1);
            } else {
                byte[] rest = in.readNBytes((int) (size + 1 - head.length));
                bytes = java.util.Arrays.copyOf(head, head.length + rest.length);
                System.arraycopy(rest, 0, bytes, head.length, rest.length);
            }
            return Npy.read(label, bytes);
        } catch (ZipException | java.io.EOFException e) {
            throw new CheckpointException(file + " is truncated or corrupt: cannot read " + entryName);
        }
    }

    /** The entry's bytes, refused when it inflates to more than maxBytes. */
    private static byte[] readEntry(Path file, ZipFile zip, String name, int maxBytes) throws IOException {
        ZipEntry entry = zip.getEntry(name);
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

    private static void checkArray(Path file, String name, INDArray a, CheckpointMeta meta) {
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
        if (a.rows() != expected[0] || a.columns() != expected[1]) {
            throw new CheckpointException(String.format(
                    "%s: %s is %d×%d but meta.json (hiddenSize %d, %d vocabulary entries) needs %d×%d",
                    file, name, a.rows(), a.columns(), h, v, expected[0], expected[1]));
        }
        requireTypeAndFinite(file, name, a, meta);
    }

    private static void requireTypeAndFinite(Path file, String name, INDArray a, CheckpointMeta meta) {
        if (a.dataType() != meta.precision().dataType()) {
            String actual = a.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE ? "float64" : "float32";
            throw new CheckpointException(String.format("%s: %s is %s but meta.json says dtype %s",
                    file, name, actual, meta.precision().numpyName()));
        }
        double[] values = a.data().asDouble();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new CheckpointException(String.format("%s: %s holds %s at flat index %d",
                        file, name, values[i], i));
            }
        }
    }

    /** Version 2: the arrays by name; absent optimizer state and carried state are zero. */
    private static DeepCheckpoint readDeep(Path file, ZipFile zip, JsonObject o) throws IOException {
        Meta m = new Meta(file, o);
        CheckpointMeta meta = parseMeta(file, o);
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
                JsonElement b = e.getAsJsonArray().get(i);
                if (!b.isJsonPrimitive() || !b.getAsJsonPrimitive().isNumber() || b.getAsLong() < 0) {
                    throw c.wrong("byteOffsets", "a list of " + batchSize + " byte offsets");
                }
                byteOffsets[i] = b.getAsLong();
            }
        }
        Long dropoutRng = o.has("dropoutRng") && !o.get("dropoutRng").isJsonNull()
                ? m.object("dropoutRng").rngState() : null;

        ModelSpec spec = new ModelSpec(cell, layers, meta.hiddenSize(), meta.vocab().size(), meta.precision());
        ParamSet params = ParamSet.of(spec, readArrays(file, zip, spec, "", meta, true));
        Map<String, ParamSet> slots = new LinkedHashMap<>();
        for (String slot : Optimizer.slots(kind)) {
            slots.put(slot, ParamSet.of(spec, readArrays(file, zip, spec, slot + ".", meta, false)));
        }
        StreamState state = StreamState.zeros(spec, batchSize);
        for (int k = 0; k < layers; k++) {
            readState(file, zip, "h.l" + k, state.h[k], meta);
            if (state.c != null) {
                readState(file, zip, "c.l" + k, state.c[k], meta);
            }
        }
        return new DeepCheckpoint(params, Optimizer.restore(optimizer, slots, step), state, meta,
                new DeepMeta(cell, layers, batchSize, optimizer, step, dropout, dropoutRng, byteOffsets));
    }

    /** PREFIX + each parameter name; absent ones are zero unless {@code required}. */
    private static Map<String, INDArray> readArrays(Path file, ZipFile zip, ModelSpec spec, String prefix,
                                                    CheckpointMeta meta, boolean required) throws IOException {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        ParamSet zeros = ParamSet.zeros(spec);
        for (String name : spec.paramNames()) {
            String entry = prefix + name;
            if (!required && zip.getEntry(entry + ".npy") == null) {
                arrays.put(name, zeros.get(name));
                continue;
            }
            INDArray a = readNpy(file, zip, entry);
            long[] shape = spec.shape(name);
            boolean fits = shape.length == 1 ? a.length() == shape[0]
                    : a.rows() == shape[0] && a.columns() == shape[1];
            if (!fits) {
                throw new CheckpointException(String.format(
                        "%s: %s is %d×%d but meta.json (cell %s, %d layers, hiddenSize %d, %d vocabulary entries) "
                                + "needs %s", file, entry, a.rows(), a.columns(), spec.cell(), spec.layers(),
                        spec.hiddenSize(), spec.vocabSize(), shape.length == 1 ? "a vector of " + shape[0]
                                : shape[0] + "×" + shape[1]));
            }
            requireTypeAndFinite(file, entry, a, meta);
            arrays.put(name, a);
        }
        return arrays;
    }

    private static void readState(Path file, ZipFile zip, String entry, INDArray into, CheckpointMeta meta)
            throws IOException {
        if (zip.getEntry(entry + ".npy") == null) {
            return;   // zero
        }
        INDArray a = readNpy(file, zip, entry);
        if (a.length() != into.length() || (a.rows() != into.rows() && a.rows() * a.columns() != into.length())) {
            throw new CheckpointException(String.format("%s: %s is %d×%d but meta.json (batchSize %d, hiddenSize %d) "
                    + "needs %d×%d", file, entry, a.rows(), a.columns(), into.rows(), into.columns(), into.rows(),
                    into.columns()));
        }
        requireTypeAndFinite(file, entry, a, meta);
        into.assign(a.reshape('c', into.shape()));
    }

    private static JsonObject parseObject(Path file, byte[] json) {
        try {
            JsonElement e = JsonParser.parseString(new String(json, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new CheckpointException(file + ": meta.json is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new CheckpointException(file + ": meta.json is not valid JSON");
        }
    }

    static CheckpointMeta parseMeta(Path file, byte[] json) {
        return parseMeta(file, parseObject(file, json));
    }

    /** The fields versions 1 and 2 share (version 2's learning rate is its optimizer's). */
    static CheckpointMeta parseMeta(Path file, JsonObject o) {
        Meta m = new Meta(file, o);
        String format = m.string("format");
        if (!CheckpointMeta.FORMAT.equals(format)) {
            throw new CheckpointException(file + " is not a charrnn checkpoint: meta.json format is \"" + format
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
            default -> throw new CheckpointException(file + ": meta.json dtype is \"" + dtype
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
            corpus = new CorpusPosition(c.string("path"), c.integer("bytes"), c.integer("codePoints"),
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
            JsonElement e = field(key);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw wrong(key, "an integer");
            }
            try {
                return e.getAsBigDecimal().longValueExact();
            } catch (ArithmeticException ex) {
                throw wrong(key, "an integer");
            }
        }

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
