package charrnn.checkpoint;

import charrnn.checkpoint.CheckpointMeta.CorpusPosition;
import charrnn.model.Adagrad;
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

    /** The archive's bytes. */
    public static byte[] toBytes(Checkpoint checkpoint) throws IOException {
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
    public static void save(Checkpoint checkpoint, Path file) throws IOException {
        AtomicFile.write(file, toBytes(checkpoint));
    }

    static String metaJson(CheckpointMeta meta) {
        JsonObject o = new JsonObject();
        o.addProperty("format", CheckpointMeta.FORMAT);
        o.addProperty("version", CheckpointMeta.VERSION);
        JsonArray vocab = new JsonArray();
        meta.vocab().forEach(vocab::add);
        o.add("vocab", vocab);
        o.addProperty("hiddenSize", meta.hiddenSize());
        o.addProperty("seqLength", meta.seqLength());
        o.addProperty("learningRate", meta.learningRate());
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
        return GSON.toJson(o) + "\n";
    }

    /** Reads and checks a checkpoint; any problem is a {@link CheckpointException} naming the file. */
    public static Checkpoint load(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new CheckpointException(file + " is a directory, not a checkpoint");
        }
        if (!Files.exists(file)) {
            throw new CheckpointException(file + ": no such checkpoint");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            CheckpointMeta meta = parseMeta(file, readEntry(file, zip, "meta.json"));
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(PARAMS);
            PARAMS.forEach(p -> names.add("m" + p));
            names.add("hprev");
            for (String name : names) {
                INDArray a = Npy.read(file + ": " + name + ".npy", readEntry(file, zip, name + ".npy"));
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

    private static byte[] readEntry(Path file, ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new CheckpointException(name.equals("meta.json")
                    ? file + " is not a charrnn checkpoint: it has no meta.json"
                    : file + " has no " + name);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
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

    static CheckpointMeta parseMeta(Path file, byte[] json) {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(new String(json, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new CheckpointException(file + ": meta.json is not a JSON object");
            }
            o = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new CheckpointException(file + ": meta.json is not valid JSON");
        }
        Meta m = new Meta(file, o);
        String format = m.string("format");
        if (!CheckpointMeta.FORMAT.equals(format)) {
            throw new CheckpointException(file + " is not a charrnn checkpoint: meta.json format is \"" + format
                    + "\", expected \"" + CheckpointMeta.FORMAT + "\"");
        }
        long version = m.integer("version");
        if (version != CheckpointMeta.VERSION) {
            throw new CheckpointException(file + " has checkpoint format version " + version
                    + "; this charrnn reads version " + CheckpointMeta.VERSION);
        }
        List<String> vocab = m.vocab();
        int hiddenSize = (int) m.positive("hiddenSize");
        int seqLength = (int) m.positive("seqLength");
        double learningRate = m.positiveNumber("learningRate");
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
            Meta r = m.object("rng");
            if (!"splitmix64".equals(r.string("algorithm"))) {
                throw new CheckpointException(file + ": meta.json rng.algorithm must be \"splitmix64\"");
            }
            try {
                rngState = Long.parseUnsignedLong(r.string("state"));
            } catch (NumberFormatException e) {
                throw new CheckpointException(file + ": meta.json rng.state is not an unsigned 64-bit integer");
            }
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
