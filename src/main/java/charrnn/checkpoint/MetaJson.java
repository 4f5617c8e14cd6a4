package charrnn.checkpoint;

import charrnn.checkpoint.CheckpointMeta.CorpusPosition;
import charrnn.model.CellType;
import charrnn.model.ModelSpec;
import charrnn.model.Precision;
import charrnn.optim.LossNormalization;
import charrnn.optim.OptimizerConfig;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A checkpoint's {@code meta.json}: written (version 1's fields, or version 2's with the model's), and
 * read and checked field by field ({@link Field}: every message names the file and the field), within
 * limits that keep a hostile file from exhausting the heap or the stack.
 */
final class MetaJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private MetaJson() {
    }

    static String write(CheckpointMeta meta) {
        return GSON.toJson(metaObject(meta, null)) + "\n";
    }

    static String write(CheckpointMeta meta, ModelMeta deep) {
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
        boolean deep = new Field(file, o).integer("version") == CheckpointMeta.DEEP_VERSION;
        return new Parsed(meta, deep ? parseModel(file, o, meta) : null);
    }

    /** Version 2's own fields of meta.json: cell, layers, batch, optimizer, dropout, stream offsets. */
    static ModelMeta parseModel(Path file, JsonObject o, CheckpointMeta meta) {
        Field m = new Field(file, o);
        CellType cell = CellType.parse(m.string("cell"));
        if (cell == null) {
            throw m.wrong("cell", "\"rnn\", \"lstm\" or \"gru\"");
        }
        int layers = (int) m.positive("layers");
        int batchSize = (int) m.positive("batchSize");
        Field opt = m.object("optimizer");
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
            Field c = m.object("corpus");
            if (!c.o().has("byteOffsets")) {
                throw c.wrong("byteOffsets", "a list of " + batchSize + " byte offsets");
            }
            JsonElement e = c.field("byteOffsets");
            if (!e.isJsonArray() || e.getAsJsonArray().size() != batchSize) {
                throw c.wrong("byteOffsets", "a list of " + batchSize + " byte offsets");
            }
            byteOffsets = new long[batchSize];
            for (int i = 0; i < batchSize; i++) {
                long b = Field.exactLong(e.getAsJsonArray().get(i));
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
        Field m = new Field(file, o);
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
            Field c = m.object("corpus");
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
    record Field(Path file, JsonObject o, String prefix) {
        Field(Path file, JsonObject o) {
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

        Field object(String key) {
            JsonElement e = field(key);
            if (!e.isJsonObject()) {
                throw wrong(key, "an object");
            }
            return new Field(file, e.getAsJsonObject(), prefix + key + ".");
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
