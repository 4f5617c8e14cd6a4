package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.checkpoint.CheckpointFile;
import charrnn.corpus.Corpus;
import charrnn.model.Engine;
import charrnn.model.Params;
import charrnn.model.Precision;
import charrnn.model.Rng;
import charrnn.testing.Exact;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The general path (one learner over the network seam, at min-char-rnn's configuration: rnn, 1 layer,
 * 1 stream, adagrad, no dropout) against min-char-rnn's own path, over 1,000 iterations that wrap around
 * the text several times, with held-out scoring and samples: the same bits everywhere. "The same" is raw
 * values (parameters, Adagrad memories, hprev, smooth loss), the same printed lines (speeds and times
 * aside) and the same bytes of every entry of the version 1 file (the zip headers hold the time of writing).
 */
class OnePathAgreementTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "H={0} {1}")
    @CsvSource({
        "100, DOUBLE, 1000",   // one thread; samples drawn beside training from copies
        "260, DOUBLE, 400",    // each step split between two threads; samples in place
        "40, FLOAT, 1000",
    })
    void generalPathIsMinCharRnnBitForBit(int hiddenSize, Precision precision, int iterations) throws Exception {
        Path text = dir.resolve("input.txt");
        Files.writeString(text, text(3_000), StandardCharsets.UTF_8);   // 25-char windows wrap every 120
        TrainConfig config = new TrainConfig(hiddenSize, 25, 0.1, 5.0, 100, 200, 100, iterations, 7, precision,
                Engine.Kind.FAST, 0.1, 250);
        assertTrue(config.deep().isMinChar());
        Corpus corpus = Corpus.scan(text);

        Run minChar = new Run();
        Rng rng = new Rng(config.seed());
        Params init = Params.gaussian(hiddenSize, corpus.vocabulary().size(), precision.dataType(), rng);
        minChar.finish(Trainer.start(config, corpus, init, corpus.vocabulary(), rng, minChar.out));

        Run general = new Run();
        general.finish(Trainer.start(config, corpus, new Rng(config.seed()), general.out));

        assertEquals(minChar.lines(), general.lines(), "printed lines");
        assertTrue(minChar.lines().stream().anyMatch(l -> l.startsWith("val loss")), "held-out text was scored");
        assertTrue(minChar.lines().contains("----"), "samples were printed");
        assertEquals(Double.doubleToRawLongBits(minChar.smoothLoss), Double.doubleToRawLongBits(general.smoothLoss),
                "smooth loss");
        List<String> names = List.of("Wxh", "Whh", "Why", "bh", "by");
        for (int i = 0; i < names.size(); i++) {
            Exact.assertSameArray(names.get(i), minChar.params.all().get(i), general.params.all().get(i));
            Exact.assertSameArray("m" + names.get(i), minChar.memories.get(i), general.memories.get(i));
        }
        Exact.assertSameArray("hprev", minChar.hprev, general.hprev);
        assertEquals(entries(minChar.file).keySet(), entries(general.file).keySet(), "version 1 file entries");
        entries(minChar.file).forEach((name, bytes) ->
                assertArrayEquals(bytes, entries(general.file).get(name), "version 1 file: bytes of " + name));
    }

    /** The entries of an npz archive by name: their bytes (the archive's own headers hold the time of writing). */
    static java.util.Map<String, byte[]> entries(byte[] npz) {
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(npz))) {
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(entries.containsKey("Wxh.npy") && entries.containsKey("meta.json"), entries.keySet().toString());
        return entries;
    }

    /** A text of n characters from a fixed seed: words of 1–8 letters of a 30-letter alphabet, spaces, newlines. */
    static String text(int n) {
        Rng rng = new Rng(11);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < n) {
            int word = 1 + (int) (rng.nextDouble() * 8);
            for (int i = 0; i < word && sb.length() < n; i++) {
                sb.append((char) ('a' + (int) (rng.nextDouble() * 26)));
            }
            if (sb.length() < n) {
                sb.append(rng.nextDouble() < 0.1 ? '\n' : rng.nextDouble() < 0.05 ? ',' : ' ');
            }
        }
        return sb.toString();
    }

    /** One run's output and end state (copies). */
    private static final class Run {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Params params;
        List<org.nd4j.linalg.api.ndarray.INDArray> memories;
        org.nd4j.linalg.api.ndarray.INDArray hprev;
        double smoothLoss;
        byte[] file;

        void finish(Trainer trainer) throws Exception {
            try (trainer) {
                trainer.run();
                file = CheckpointFile.toBytes(trainer.checkpoint());
                Params p = trainer.params();
                params = new Params(p.Wxh.dup('f'), p.Whh.dup(), p.Why.dup(), p.bh.dup(), p.by.dup());
                memories = trainer.adagrad().all().stream().map(a -> a.dup()).toList();
                hprev = trainer.hprev().dup();
                smoothLoss = trainer.smoothLoss();
            }
        }

        /** The printed lines, each log line cut after its bits/char (speed, time and ETA differ). */
        List<String> lines() {
            return Arrays.stream(bytes.toString(StandardCharsets.UTF_8).split("\n", -1))
                    .map(l -> l.startsWith("iter ") ? l.substring(0, l.indexOf("bits/char")) : l)
                    .toList();
        }
    }
}
