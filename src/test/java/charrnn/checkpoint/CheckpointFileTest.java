package charrnn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.checkpoint.CheckpointMeta.CorpusPosition;
import charrnn.model.CellType;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.Precision;
import charrnn.model.StreamState;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import charrnn.testing.Exact;
import charrnn.util.AtomicFile;
import charrnn.util.Rng;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointFileTest {
    static final List<String> VOCAB = List.of("\n", " ", "a", "b", "é", "😀");
    static final int H = 4;

    @TempDir
    Path dir;

    static Checkpoint sample(Precision precision) {
        Rng rng = new Rng(5);
        ParamSet params = ParamSet.init(new ModelSpec(CellType.RNN, 1, H, VOCAB.size(), precision), rng);
        params.get("l0.b").assign(Nd4j.rand(precision.dataType(), 1, H));
        params.get("by").assign(Nd4j.rand(precision.dataType(), 1, VOCAB.size()));
        Optimizer adagrad = Optimizer.create(OptimizerConfig.of(OptimizerConfig.Kind.ADAGRAD, 0.05), params);
        adagrad.state().get("mem").all().forEach(m -> m.assign(Nd4j.rand(precision.dataType(), m.shape())));
        StreamState state = StreamState.zeros(params.spec(), 1);
        state.h[0].assign(Nd4j.rand(precision.dataType(), 1, H));
        CheckpointMeta meta = new CheckpointMeta(VOCAB, H, 7, 0.05, 2.5, precision, 1234, 42.125,
                new CorpusPosition("/data/text.txt", 99, 90, 77, 80, "99:abc"), -3L, 0.25);
        return minChar(params, adagrad, state, meta);
    }

    /** A run of min-char-rnn's configuration (saved as format version 1) with these arrays. */
    static Checkpoint minChar(ParamSet params, Optimizer adagrad, StreamState state, CheckpointMeta meta) {
        return new Checkpoint(params, adagrad, state, meta, ModelMeta.minCharConfiguration(adagrad.config().learningRate(),
                meta.corpus() == null ? null : new long[] {meta.corpus().byteOffset()}));
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void roundTripKeepsEveryArrayAndField(Precision precision) throws IOException {
        Checkpoint saved = sample(precision);
        Path file = dir.resolve("c.npz");
        CheckpointFile.save(saved, file);
        Checkpoint loaded = CheckpointFile.read(file);

        assertEquals(saved.meta(), loaded.meta());
        Exact.assertSameRun(saved, loaded);
        loaded.params().all().forEach(a -> assertEquals(precision.dataType(), a.dataType()));
        assertTrue(loaded.deep().isMinCharConfiguration(), "min-char-rnn's configuration");
        assertEquals(0.05, loaded.optimizer().config().learningRate());
        assertArrayEquals(new long[] {80}, loaded.deep().byteOffsets());
    }

    @Test
    void aCheckpointWrittenWithNumpyLoads() throws IOException {
        // src/test/resources/checkpoints/make_numpy_checkpoint.py wrote it with numpy.savez: 1-D vectors,
        // Why in Fortran order, no corpus and no rng in meta.json
        Path file = dir.resolve("numpy-v1.npz");
        try (InputStream in = getClass().getResourceAsStream("/checkpoints/numpy-v1.npz")) {
            Files.copy(in, file);
        }
        Checkpoint c = CheckpointFile.read(file);
        assertEquals(List.of("\n", " ", "a", "b"), c.meta().vocab());
        assertEquals(7, c.meta().iteration());
        assertNull(c.meta().corpus());
        assertNull(c.meta().rngState());
        // Why[i][j] = (i*3 + j) / -80, whatever the order it was stored in
        assertEquals((2 * 3 + 1) / -80.0, c.params().get("Why").getDouble(2, 1), 0.0);
        assertEquals((1 * 4 + 3) / 100.0, c.params().get("l0.Wx").getDouble(1, 3), 0.0);
        assertEquals(3, c.params().get("l0.b").length());
        assertEquals(-0.2, c.params().get("l0.b").getDouble(1), 0.0);
        assertEquals(0.75, c.state().h[0].getDouble(2), 0.0);
        assertEquals(0.5, c.optimizer().state().get("mem").get("Why").getDouble(3, 2), 0.0);
    }

    @Test
    void aCheckpointMadeByHandLoads() throws IOException {
        // .npy bytes built here from the format's description, independently of the project's writer
        Map<String, byte[]> entries = new LinkedHashMap<>();
        int v = 2;
        int h = 1;
        for (String name : List.of("Wxh", "Whh", "Why", "bh", "by")) {
            long[] shape = switch (name) {
                case "Wxh" -> new long[] {h, v};
                case "Whh" -> new long[] {h, h};
                case "Why" -> new long[] {v, h};
                case "bh" -> new long[] {h};
                default -> new long[] {v};
            };
            entries.put(name + ".npy", npy(shape, 0.5));
            entries.put("m" + name + ".npy", npy(shape, 0.0));
        }
        entries.put("hprev.npy", npy(new long[] {h}, 0.0));
        entries.put("meta.json", ("{\"format\": \"charrnn-checkpoint\", \"version\": 1, \"vocab\": [\"x\", \"y\"], "
                + "\"hiddenSize\": 1, \"seqLength\": 3, \"learningRate\": 0.1, \"clip\": 5.0, \"dtype\": \"float64\", "
                + "\"iteration\": 0, \"smoothLoss\": 2.0}").getBytes(StandardCharsets.UTF_8));
        Path file = zip("hand.npz", entries);
        Checkpoint c = CheckpointFile.read(file);
        assertEquals(0.5, c.params().get("Why").getDouble(1, 0), 0.0);
        assertEquals(List.of("x", "y"), c.meta().vocab());
    }

    /** A C-order float64 .npy of the given shape filled with one value, as numpy writes version 1.0. */
    static byte[] npy(long[] shape, double value) {
        String dims = shape.length == 1 ? shape[0] + "," : shape[0] + ", " + shape[1];
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + dims + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + (int) count * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < count; i++) {
            b.putDouble(value);
        }
        return b.array();
    }

    private Path zip(String name, Map<String, byte[]> entries) throws IOException {
        Path file = dir.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return file;
    }

    /** The entries of a valid checkpoint, to be spoiled one way or another. */
    private Map<String, byte[]> validEntries() throws IOException {
        Path file = dir.resolve("valid.npz");
        CheckpointFile.save(sample(Precision.DOUBLE), file);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                entries.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        return entries;
    }

    private String loadError(Path file) {
        return assertThrows(CheckpointException.class, () -> CheckpointFile.read(file)).getMessage();
    }

    private String spoiledMetaError(UnaryOperator<String> change) throws IOException {
        Map<String, byte[]> entries = validEntries();
        String meta = new String(entries.get("meta.json"), StandardCharsets.UTF_8);
        String changed = change.apply(meta);
        assertTrue(!changed.equals(meta), "the test changes meta.json");
        entries.put("meta.json", changed.getBytes(StandardCharsets.UTF_8));
        return loadError(zip("spoiled.npz", entries));
    }

    @Test
    void missingTruncatedAndCorruptFilesAreRefused() throws IOException {
        assertTrue(loadError(dir.resolve("none.npz")).endsWith("no such checkpoint"));
        Path valid = dir.resolve("v.npz");
        CheckpointFile.save(sample(Precision.DOUBLE), valid);
        byte[] bytes = Files.readAllBytes(valid);
        Path truncated = Files.write(dir.resolve("t.npz"), Arrays.copyOf(bytes, bytes.length / 2));
        assertTrue(loadError(truncated).contains("truncated or corrupt"), loadError(truncated));
        byte[] flipped = bytes.clone();
        for (int i = 40; i < flipped.length / 2; i += 7) {
            flipped[i] ^= 0x5A;
        }
        Path corrupt = Files.write(dir.resolve("c.npz"), flipped);
        assertTrue(loadError(corrupt).contains(corrupt.toString()), loadError(corrupt));
        Path text = Files.writeString(dir.resolve("x.npz"), "just some text\n");
        assertTrue(loadError(text).contains("not a readable zip archive"), loadError(text));
    }

    @Test
    void aZipThatIsNotACheckpointIsRefused() throws IOException {
        Path other = zip("other.npz", Map.of("a.npy", npy(new long[] {2}, 1.0)));
        assertTrue(loadError(other).endsWith("is not a charrnn checkpoint: it has no meta.json"), loadError(other));
        String format = spoiledMetaError(m -> m.replace("\"charrnn-checkpoint\"", "\"something-else\""));
        assertTrue(format.contains("is not a charrnn checkpoint: meta.json format is \"something-else\""), format);
    }

    @Test
    void anUnknownVersionIsRefused() throws IOException {
        String e = spoiledMetaError(m -> m.replace("\"version\": 1", "\"version\": 3"));
        assertTrue(e.endsWith("has checkpoint format version 3; this charrnn reads versions 1 and 2"), e);
    }

    @Test
    void aMissingEntryIsRefused() throws IOException {
        Map<String, byte[]> entries = validEntries();
        entries.remove("mWhh.npy");
        String e = loadError(zip("missing.npz", entries));
        assertTrue(e.endsWith("has no mWhh.npy"), e);
        String field = spoiledMetaError(m -> m.replaceFirst("\"seqLength\": 7,", ""));
        assertTrue(field.endsWith("meta.json has no seqLength"), field);
    }

    @Test
    void shapesThatDisagreeWithMetaAreRefused() throws IOException {
        String e = spoiledMetaError(m -> m.replace("\"hiddenSize\": 4", "\"hiddenSize\": 5"));
        assertTrue(e.contains("Wxh is 4×6 but meta.json (hiddenSize 5, 6 vocabulary entries) needs 5×6"), e);
        Map<String, byte[]> entries = validEntries();
        entries.put("by.npy", npy(new long[] {5, 1}, 0.0));
        String by = loadError(zip("by.npz", entries));
        assertTrue(by.contains("by is 5×1 but meta.json"), by);
    }

    @Test
    void hugeOrNegativeShapesAreRefusedForWhatTheyAre() throws IOException {
        // headers only: the shape's element count must be computed exactly, not wrap around to 0
        Map<String, byte[]> entries = validEntries();
        entries.put("Whh.npy", header("1099511627776, 1099511627776"));
        String huge = loadError(zip("huge.npz", entries));
        assertTrue(huge.contains("Whh.npy is too large: (1099511627776, 1099511627776)"), huge);
        entries.put("Whh.npy", header("4294967296, 4294967296"));
        String wraps = loadError(zip("wraps.npz", entries));
        assertTrue(wraps.contains("Whh.npy is too large"), wraps);
        entries.put("Whh.npy", header("-1, 4"));
        String negative = loadError(zip("negative.npz", entries));
        assertTrue(negative.contains("Whh.npy has a negative dimension: (-1, 4)"), negative);
    }

    @Test
    void aMetaJsonThatInflatesBeyondTheCapIsRefused() throws IOException {
        // 17 MiB of spaces compress to a few kilobytes: a small file that would fill the heap if read whole
        Map<String, byte[]> entries = validEntries();
        byte[] meta = entries.get("meta.json");
        byte[] bomb = new byte[MetaJson.MAX_META_BYTES + (1 << 20)];
        Arrays.fill(bomb, (byte) ' ');
        System.arraycopy(meta, 0, bomb, 0, meta.length);
        entries.put("meta.json", bomb);
        Path file = zip("bomb.npz", entries);
        assertTrue(Files.size(file) < 1 << 20, "the test's file is small: " + Files.size(file));
        String e = loadError(file);
        assertTrue(e.contains("meta.json is larger than 16 MiB"), e);
        // at the cap it still reads: trailing spaces are valid JSON
        entries.put("meta.json", Arrays.copyOf(bomb, MetaJson.MAX_META_BYTES));
        CheckpointFile.read(zip("at-the-cap.npz", entries));
    }

    @Test
    void aMetaJsonDescribingAModelTooLargeForMemoryIsRefusedBeforeAnyArray() throws IOException {
        // hiddenSize 2^30 with arrays of the real (small) model: refused for memory, before a shape is compared
        String e = spoiledMetaError(m -> m.replaceFirst("\"hiddenSize\": 4", "\"hiddenSize\": 1073741824"));
        assertTrue(e.contains("meta.json describes a model of "), e);
        assertTrue(e.contains(" of memory; ") && e.endsWith(" is available"), e);
        // a model that fits but does not match the arrays: refused by the first array's header
        String fits = spoiledMetaError(m -> m.replaceFirst("\"hiddenSize\": 4", "\"hiddenSize\": 64"));
        assertTrue(fits.contains("Wxh is 4×6 but meta.json (hiddenSize 64, 6 vocabulary entries) needs 64×6"), fits);
    }

    @Test
    void deeplyNestedOrOverlongMetaJsonIsRefusedInOneLine() throws IOException {
        String nested = spoiledMetaError(m -> m.replaceFirst("\\{", "{\"deep\": " + "[".repeat(20) + "]".repeat(20)
                + ","));
        assertTrue(nested.endsWith("meta.json is not valid JSON"), nested);
        // (16 levels are allowed, far more than the 3 of a real meta.json: this one parses, then its format is wrong)
        String parsed = assertThrows(CheckpointException.class, () -> MetaJson.parse(dir.resolve("x.npz"),
                ("{\"format\": 1, \"x\": " + "[".repeat(15) + "]".repeat(15) + "}").getBytes(StandardCharsets.UTF_8)))
                .getMessage();
        assertTrue(parsed.endsWith("meta.json format must be a string"), parsed);
        String longPath = spoiledMetaError(m -> m.replaceFirst("\"path\": \"[^\"]*\"",
                "\"path\": \"" + "a".repeat(5000) + "\""));
        assertTrue(longPath.endsWith("meta.json corpus.path must be a string of at most 4096 characters"), longPath);
        // a line break becomes a space, another control character its escape: the message stays one line
        String lineBreak = spoiledMetaError(m -> m.replace("\"float64\"", "\"float64\\nrm\\u0007x\""));
        assertTrue(lineBreak.endsWith("meta.json dtype is \"float64 rm\\u0007x\", expected \"float64\" or \"float32\""),
                lineBreak);
    }

    @Test
    void anArrayOfPythonObjectsIsRefusedUnread() throws IOException {
        // what numpy.save writes for an object array: a pickle after the header (here one that would run
        // os.system if unpickled)
        String header = "{'descr': '|O', 'fortran_order': False, 'shape': (4, 4), }";
        header = header + " ".repeat((64 - (10 + header.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        b.put("cos\nsystem\n(S'echo pwned'\ntR.".getBytes(StandardCharsets.US_ASCII));
        Map<String, byte[]> entries = validEntries();
        entries.put("Whh.npy", b.array());
        String e = loadError(zip("pickle.npz", entries));
        assertTrue(e.endsWith("Whh.npy holds Python objects (a pickle), which charrnn never loads; a checkpoint "
                + "holds float64 or float32 values"), e);
    }

    @Test
    void anArrayLongerThanItsShapeIsRefusedWithoutReadingItAll() throws IOException {
        // a valid Whh header and values, then 64 MiB of zeros (a 64 KiB file): read up to the shape's
        // size, then refused at the first byte more
        Map<String, byte[]> entries = validEntries();
        byte[] whh = npy(new long[] {H, H}, 0.25);
        entries.put("Whh.npy", Arrays.copyOf(whh, whh.length + (64 << 20)));
        String e = loadError(zip("long.npz", entries));
        int values = H * H;
        // (refused by the size the archive lists for the entry, before a value is read)
        assertTrue(e.contains("Whh.npy should hold " + values + " values of 8 bytes but the archive lists "
                + (values * 8 + (64 << 20)) + " bytes for it"), e);
        // and one byte short is refused too
        entries.put("Whh.npy", Arrays.copyOf(whh, whh.length - 1));
        String shortOne = loadError(zip("short.npz", entries));
        assertTrue(shortOne.contains("Whh.npy should hold " + values + " values of 8 bytes but the archive lists "
                + (values * 8 - 1) + " bytes for it"), shortOne);
    }

    /** A float64 .npy header with the given shape text and no values. */
    private static byte[] header(String shape) {
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + shape + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    @Test
    void nanOrInfiniteValuesAreRefused() throws IOException {
        Map<String, byte[]> entries = validEntries();
        entries.put("Whh.npy", npy(new long[] {H, H}, Double.NaN));
        String e = loadError(zip("nan.npz", entries));
        assertTrue(e.contains("Whh holds NaN"), e);
        entries.put("Whh.npy", npy(new long[] {H, H}, Double.NEGATIVE_INFINITY));
        assertTrue(loadError(zip("inf.npz", entries)).contains("Whh holds -Infinity"));
    }

    @Test
    void aSaveThatFailsHalfwayLeavesThePreviousFileWhole() throws IOException {
        CheckpointDir checkpoints = new CheckpointDir(dir, 5);
        Checkpoint first = sample(Precision.DOUBLE);
        checkpoints.save(first);
        byte[] before = Files.readAllBytes(checkpoints.latest());

        // the next save's writing fails after half of its bytes, as a full disk would make it: a writer that
        // wrote into latest.npz itself would leave half an archive there
        byte[] next = CheckpointFile.toBytes(sample(Precision.FLOAT));
        IOException diskFull = assertThrows(IOException.class, () -> AtomicFile.write(checkpoints.latest(), out -> {
            out.write(next, 0, next.length / 2);
            out.flush();
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", diskFull.getMessage());

        assertArrayEquals(before, Files.readAllBytes(checkpoints.latest()), "latest.npz untouched");
        Checkpoint loaded = CheckpointFile.read(checkpoints.latest());
        assertEquals(first.meta(), loaded.meta());
        Exact.assertSameArray("Wxh", first.params().get("l0.Wx"), loaded.params().get("l0.Wx"));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().startsWith(AtomicFile.TEMP_PREFIX)).count(),
                    "the failed save's temporary file is deleted");
        }
    }

    @Test
    void anInterruptedSaveLeavesTheLatestCheckpointLoadable() throws IOException {
        CheckpointDir checkpoints = new CheckpointDir(dir, 5);
        Checkpoint first = sample(Precision.DOUBLE);
        checkpoints.save(first);
        byte[] before = Files.readAllBytes(checkpoints.latest());

        // the next save dies halfway through writing its temporary file, as kill -9 would leave it
        byte[] next = CheckpointFile.toBytes(sample(Precision.FLOAT));
        Path partial = AtomicFile.writePartial(checkpoints.latest(), next, next.length / 2);
        assertTrue(Files.size(partial) > 0);

        assertArrayEquals(before, Files.readAllBytes(checkpoints.latest()), "latest.npz untouched");
        Checkpoint loaded = CheckpointFile.read(checkpoints.latest());
        assertEquals(first.meta(), loaded.meta());
        Exact.assertSameArray("Wxh", first.params().get("l0.Wx"), loaded.params().get("l0.Wx"));

        // the leftover does not disturb the next save, and the next run clears it away
        checkpoints.save(sample(Precision.FLOAT));
        assertEquals(Precision.FLOAT, CheckpointFile.read(checkpoints.latest()).meta().precision());
        assertTrue(Files.exists(partial));
        checkpoints.removeLeftovers();
        assertTrue(!Files.exists(partial), "partial file removed");
        assertTrue(Files.exists(checkpoints.latest()));
    }

    @Test
    void backgroundSavesWaitForTheOneUnderWayAndCopyTheArrays() throws IOException {
        // a model of about 24 MiB in float64, so that its write takes a while
        int h = 1000;
        ParamSet params = ParamSet.init(new ModelSpec(CellType.RNN, 1, h, 1500, Precision.DOUBLE), new Rng(3));
        Optimizer adagrad = Optimizer.create(OptimizerConfig.of(OptimizerConfig.Kind.ADAGRAD, 0.1), params);
        List<String> vocab = new java.util.ArrayList<>();
        for (int c = 0; c < 1500; c++) {
            vocab.add(new String(Character.toChars(0x4E00 + c)));
        }
        CheckpointDir checkpoints = new CheckpointDir(dir.resolve("bg"), 5);
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (long iteration : new long[] {100, 200}) {
            CheckpointMeta meta = new CheckpointMeta(vocab, h, 25, 0.1, 5, Precision.DOUBLE, iteration, 1.0, null,
                    null, 0.0);
            checkpoints.saveInBackground(minChar(params, adagrad, StreamState.zeros(params.spec(), 1), meta),
                    failures::add);
            // training goes on at once and changes the arrays: the save under way has its own copies
            params.get("l0.Wh").putScalar(0, 0, iteration);
        }
        // the second save waited for the first: at most one is ever under way (and holds a copy in memory)
        assertEquals(100, CheckpointFile.read(checkpoints.fileFor(100)).meta().iteration());
        assertTrue(checkpoints.completed() >= 100, "the first save completed before the second was taken");
        checkpoints.close();
        assertEquals(List.of(), failures);
        assertEquals(200, checkpoints.completed());
        assertEquals(100.0, CheckpointFile.read(checkpoints.fileFor(200)).params().get("l0.Wh").getDouble(0, 0), 0.0,
                "the copy of iteration 200 was taken when it was saved");
        assertEquals(200, CheckpointFile.read(checkpoints.latest()).meta().iteration());
    }

    @Test
    void aSaveOfAnOlderIterationIsNotPrunedAway() throws IOException {
        // a run resumed from an old checkpoint into a folder with newer iteration files: its own file stays
        CheckpointDir checkpoints = new CheckpointDir(dir.resolve("old"), 2);
        Checkpoint c = sample(Precision.DOUBLE);
        for (long iteration : new long[] {900, 800, 100}) {
            CheckpointMeta m = c.meta();
            checkpoints.save(new Checkpoint(c.params(), c.optimizer(), c.state(), new CheckpointMeta(m.vocab(),
                    m.hiddenSize(), m.seqLength(), m.learningRate(), m.clip(), m.precision(), iteration,
                    m.smoothLoss(), m.corpus(), m.rngState(), m.valFraction()), c.deep()));
        }
        assertTrue(Files.exists(checkpoints.fileFor(100)), "the file just written is kept");
        assertTrue(Files.exists(checkpoints.fileFor(900)));
        assertTrue(!Files.exists(checkpoints.fileFor(800)), "keep 2: the newest other one and the one written");
        assertEquals(100, CheckpointFile.read(checkpoints.latest()).meta().iteration());
    }

    @Test
    void aCorpusPathWithControlCharactersIsRefused() throws IOException {
        String e = spoiledMetaError(m -> m.replace("\"/data/text.txt\"", "\"/data/te\\u0000xt.txt\""));
        assertTrue(e.endsWith("meta.json corpus.path must be a file path without control characters"), e);
    }

    @Test
    void aVersion2MetaJsonWithAHundredMillionLayersIsRefusedForMemory() throws IOException {
        // the committed fuzzing seed, an LSTM checkpoint: its meta.json claims 10^8 layers
        Path seed = charrnn.testing.Repository.file("src/test/resources/charrnn/checkpoint/CheckpointFuzzTestInputs/"
                + "checkpointFile/v2-lstm-adam.npz");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(seed.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                entries.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        String meta = new String(entries.get("meta.json"), StandardCharsets.UTF_8);
        entries.put("meta.json", meta.replaceFirst("\"layers\": 1", "\"layers\": 100000000")
                .getBytes(StandardCharsets.UTF_8));
        String e = loadError(zip("layers.npz", entries));
        assertTrue(e.contains("meta.json describes a model of "), e);
    }

    @Test
    void keepsTheNewestIterationFilesAndLatest() throws IOException {
        CheckpointDir checkpoints = new CheckpointDir(dir.resolve("ck"), 2);
        Checkpoint c = sample(Precision.DOUBLE);
        for (long iteration : new long[] {100, 200, 300, 1000}) {
            CheckpointMeta m = c.meta();
            checkpoints.save(new Checkpoint(c.params(), c.optimizer(), c.state(), new CheckpointMeta(m.vocab(),
                    m.hiddenSize(), m.seqLength(), m.learningRate(), m.clip(), m.precision(), iteration,
                    m.smoothLoss(), m.corpus(), m.rngState(), m.valFraction()), c.deep()));
        }
        try (var files = Files.list(dir.resolve("ck"))) {
            assertEquals(List.of("iter-00000300.npz", "iter-00001000.npz", "latest.npz"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(1000, CheckpointFile.read(checkpoints.latest()).meta().iteration());
        assertEquals(checkpoints.latest(), checkpoints.resolve("latest"));
    }

    @Test
    void float32ArraysAreSavedAsFloat32() throws IOException {
        Path file = dir.resolve("f.npz");
        CheckpointFile.save(sample(Precision.FLOAT), file);
        try (ZipFile z = new ZipFile(file.toFile())) {
            String header = new String(z.getInputStream(z.getEntry("Wxh.npy")).readNBytes(128),
                    StandardCharsets.ISO_8859_1);
            assertTrue(header.contains("'descr': '<f4'"), header);
            assertTrue(header.contains("'shape': (4, 6)"), header);
            String meta = new String(z.getInputStream(z.getEntry("meta.json")).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(meta.contains("\"dtype\": \"float32\""), meta);
        }
    }
}
