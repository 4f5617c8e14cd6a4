package charrnn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.checkpoint.CheckpointMeta.CorpusPosition;
import charrnn.model.CellType;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.Precision;
import charrnn.model.StreamState;
import charrnn.optim.LossNormalization;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import charrnn.testing.Exact;
import charrnn.util.Rng;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Version 2 checkpoints with an input embedding ({@code emb.npy}, V×E, and "embeddingSize"), the loss's
 * normalization ("loss") and the learning-rate decay ("lrDecay"); files without those fields are one-hot,
 * summed, constant, as every file written before them.
 */
class EmbeddingCheckpointTest {
    static final List<String> VOCAB = List.of("\n", " ", "a", "b", "é");

    @TempDir
    Path dir;

    static Checkpoint sample() {
        ModelSpec spec = new ModelSpec(CellType.GRU, 2, 4, VOCAB.size(), Precision.FLOAT, 3);
        ParamSet params = ParamSet.init(spec, new Rng(7));
        OptimizerConfig adam = OptimizerConfig.of(OptimizerConfig.Kind.ADAM, 0.002);
        Optimizer optimizer = Optimizer.create(adam, params);
        optimizer.state().get("m").get("emb").assign(0.25);
        StreamState state = StreamState.zeros(spec, 2);
        state.h[1].assign(-0.5);
        CheckpointMeta meta = new CheckpointMeta(VOCAB, 4, 5, 0.002, 5, Precision.FLOAT, 12, 20.5,
                new CorpusPosition("/data/text.txt", 99, 90, 10, 10, "99:abc"), 9L, 0.1);
        ModelMeta deep = new ModelMeta(CellType.GRU, 2, 2, adam, 12, 0, null, new long[] {10, 55}, 3,
                LossNormalization.MEAN, 0.25);
        return new Checkpoint(params, optimizer, state, meta, deep);
    }

    @Test
    void theEmbeddingAndTheNewFieldsRoundTrip() throws IOException {
        Checkpoint saved = sample();
        Path file = dir.resolve("e.npz");
        CheckpointFile.save(saved, file);
        Checkpoint loaded = (Checkpoint) CheckpointFile.read(file);
        assertEquals(3, loaded.deep().embeddingSize());
        assertEquals(LossNormalization.MEAN, loaded.deep().loss());
        assertEquals(0.25, loaded.deep().lrDecay());
        assertEquals(List.of("emb", "l0.Wx", "l0.Wh", "l0.b", "l0.bn", "l1.Wx", "l1.Wh", "l1.b", "l1.bn", "Why", "by"),
                loaded.params().names());
        assertArrayEquals(new long[] {VOCAB.size(), 3}, loaded.params().get("emb").shape());
        assertArrayEquals(new long[] {12, 3}, loaded.params().get("l0.Wx").shape());   // G·H × E
        for (String name : saved.params().names()) {
            Exact.assertSameArray(name, saved.params().get(name), loaded.params().get(name));
            Exact.assertSameArray("m." + name, saved.optimizer().state().get("m").get(name),
                    loaded.optimizer().state().get("m").get(name));
        }
        Map<String, byte[]> entries = entries(file);
        assertTrue(entries.containsKey("emb.npy") && entries.containsKey("m.emb.npy") && entries.containsKey("v.emb.npy"));
        String meta = new String(entries.get("meta.json"), StandardCharsets.UTF_8);
        assertTrue(meta.contains("\"embeddingSize\": 3") && meta.contains("\"loss\": \"mean\"")
                && meta.contains("\"lrDecay\": 0.25"), meta);
    }

    @Test
    void aFileWithoutTheNewFieldsIsOneHotSummedAndConstant() throws IOException {
        // the committed fuzzing seed was written before these fields existed
        Path seed = charrnn.testing.Repository.file("src/test/resources/charrnn/checkpoint/"
                + "CheckpointFuzzTestInputs/checkpointFile/v2-lstm-adam.npz");
        String meta = new String(entries(seed).get("meta.json"), StandardCharsets.UTF_8);
        assertTrue(!meta.contains("embeddingSize") && !meta.contains("\"loss\"") && !meta.contains("lrDecay"), meta);
        Checkpoint loaded = (Checkpoint) CheckpointFile.read(seed);
        assertEquals(0, loaded.deep().embeddingSize());
        assertEquals(LossNormalization.SUM, loaded.deep().loss());
        assertEquals(0.0, loaded.deep().lrDecay());
        assertTrue(!loaded.params().names().contains("emb"));
    }

    @Test
    void aMissingOrMisshapenEmbeddingAndBadFieldsAreRefusedInOneLine() throws IOException {
        Path file = dir.resolve("e.npz");
        CheckpointFile.save(sample(), file);
        Map<String, byte[]> entries = entries(file);

        Map<String, byte[]> missing = new LinkedHashMap<>(entries);
        missing.remove("emb.npy");
        assertTrue(error(missing).contains("emb"), error(missing));

        Map<String, byte[]> wider = new LinkedHashMap<>(entries);
        String meta = new String(entries.get("meta.json"), StandardCharsets.UTF_8);
        wider.put("meta.json", meta.replace("\"embeddingSize\": 3", "\"embeddingSize\": 4").getBytes(StandardCharsets.UTF_8));
        String e = error(wider);
        assertTrue(e.contains("emb is 5×3") && e.contains("embeddingSize 4") && e.contains("needs 5×4"), e);

        for (String[] bad : new String[][] {{"\"embeddingSize\": 3", "\"embeddingSize\": -1", "embeddingSize"},
                {"\"loss\": \"mean\"", "\"loss\": \"avg\"", "loss"}, {"\"lrDecay\": 0.25", "\"lrDecay\": 2", "lrDecay"}}) {
            Map<String, byte[]> spoiled = new LinkedHashMap<>(entries);
            spoiled.put("meta.json", meta.replace(bad[0], bad[1]).getBytes(StandardCharsets.UTF_8));
            String message = error(spoiled);
            assertTrue(message.contains("meta.json " + bad[2]), message);
        }
    }

    private String error(Map<String, byte[]> entries) throws IOException {
        Path file = dir.resolve("spoiled.npz");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        Files.write(file, bytes.toByteArray());
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    private static Map<String, byte[]> entries(Path file) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                out.put(e.getName(), z.readAllBytes());
            }
        }
        return out;
    }
}
