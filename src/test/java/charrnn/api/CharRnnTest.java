package charrnn.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.checkpoint.CheckpointException;
import charrnn.checkpoint.CheckpointFile;
import charrnn.cli.Main;
import charrnn.model.Engine;
import charrnn.model.NetworkStepper;
import charrnn.sample.Sampler;
import charrnn.util.Threads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java API against the command line it stands behind, and against independent computations. */
class CharRnnTest {
    static final String TEXT = ("It is a truth universally acknowledged, that a single man in possession of a good "
            + "fortune, must be in want of a wife.\n").repeat(30);

    @TempDir
    static Path dir;
    static Path text;

    /** Runs charrnn in-process; returns stdout (fails on a non-zero exit). */
    static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    static Path checkpoint(String name) {
        return dir.resolve(name).resolve("latest.npz");
    }

    @BeforeAll
    static void train() throws IOException {
        text = Files.writeString(dir.resolve("text.txt"), TEXT, StandardCharsets.UTF_8);
        String[] common = {"--seq-length", "10", "--sample-every", "0", "--log-every", "0", "--seed", "3",
            "--val-fraction", "0.1", "--eval-every", "1000"};
        List<String> rnn = new ArrayList<>(List.of("train", text.toString(), "--hidden-size", "16",
                "--max-iterations", "300", "--checkpoint-dir", dir.resolve("rnn").toString()));
        rnn.addAll(List.of(common));
        cli(rnn.toArray(String[]::new));
        List<String> lstm = new ArrayList<>(List.of("train", text.toString(), "--cell", "lstm", "--layers", "2",
                "--hidden-size", "16", "--batch-size", "4", "--max-iterations", "100", "--checkpoint-dir",
                dir.resolve("lstm").toString()));
        lstm.addAll(List.of(common));
        cli(lstm.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm"})
    void generateIsWhatTheCommandLinePrints(String model) throws IOException {
        CharRnn m = CharRnn.load(checkpoint(model));
        assertEquals(cli("generate", checkpoint(model).toString(), "--start", "It is", "--length", "300"),
                m.generate("It is", 300));
        assertEquals(cli("generate", checkpoint(model).toString(), "--start", "a", "--length", "50", "--seed", "9",
                "--temperature", "0.5"), m.generate("a", Generation.length(50).seed(9).temperature(0.5)));
        assertNotEquals(m.generate("a", Generation.length(50).seed(9)), m.generate("a", Generation.length(50).seed(8)));
        assertEquals(model, m.cell());
        assertEquals(16, m.hiddenSize());
        assertEquals(model.equals("rnn") ? 0 : 16, m.embeddingSize());   // lstm's default: an embedding of H
        assertEquals(model.equals("lstm"), m.toString().contains(", embedding 16, "), m.toString());
        assertEquals(model.equals("rnn") ? 300 : 100, m.iteration());
    }

    @Test
    void stopStringsListenersAndCancelling() throws IOException {
        CharRnn m = CharRnn.load(checkpoint("rnn"));
        String full = m.generate("It", 2000);
        int stop = full.indexOf("in", 2);
        assertTrue(stop > 0, "the model writes 'in' within 2000 characters: " + full);
        assertEquals(full.substring(0, stop + 2), m.generate("It", Generation.length(2000).stopAt("in")));
        // streaming: the characters as drawn, and a listener that stops after 7
        StringBuilder streamed = new StringBuilder();
        String seven = m.generate("It", Generation.length(2000), c -> {
            streamed.append(c);
            return streamed.length() < 7;
        });
        assertEquals(full.substring(0, 2 + 7), seven);
        assertEquals(full.substring(2, 9), streamed.toString());
        assertTrue(m.generate("It", Generation.length(5).stopAt("\n")).length() <= 7);
    }

    @Test
    void badArgumentsAndFilesAreRefusedWithOneLine() throws IOException {
        CharRnn m = CharRnn.load(checkpoint("rnn"));
        assertEquals("the start text must not be empty",
                assertThrows(IllegalArgumentException.class, () -> m.generate("", 10)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.generate("Q", 10)).getMessage()
                .startsWith("the start text has the character 'Q' (U+0051), which is not in the vocabulary of "));
        assertEquals("length must be a positive integer, got 0",
                assertThrows(IllegalArgumentException.class, () -> m.generate("I", 0)).getMessage());
        assertEquals("temperature must be a number from 0 (greedy) to 10, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> Generation.length(3).temperature(-1)).getMessage());
        assertTrue(assertThrows(CheckpointException.class, () -> CharRnn.load(dir.resolve("none.npz")))
                .getMessage().endsWith("none.npz: no such checkpoint"));
    }

    /**
     * min-char-rnn's model: the score of the held-out tenth, cut to whole windows, is the validation loss
     * training wrote in metrics.csv (the same windows and carried state, the same engine's loss).
     */
    @Test
    void theScoreOfTheHeldOutTextIsTheValidationLoss() throws IOException {
        CharRnn m = CharRnn.load(checkpoint("rnn"));
        List<String> rows = Files.readAllLines(dir.resolve("rnn").resolve("metrics.csv"));
        double val = Double.parseDouble(rows.get(rows.size() - 1).split(",")[3]);
        int[] cps = TEXT.codePoints().toArray();
        int start = cps.length - cps.length / 10;   // training keeps [0, N - N/10) and holds out the rest
        int windows = (cps.length - start - 1) / 10;
        String heldOut = new String(cps, start, 1 + windows * 10);
        Score s = m.score(heldOut);
        assertEquals(windows * 10L, s.characters());
        assertEquals(val, s.natsPerChar(), 5e-7, "metrics.csv has 6 decimals");
        assertEquals(s.natsPerChar() / Math.log(2), s.bitsPerChar(), 1e-15);
    }

    /** Any model: the score against step-by-step logits (the sampler's path), softmax and −ln p. */
    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm"})
    void theScoreIsTheMeanOfMinusLogP(String model) throws IOException {
        CharRnn m = CharRnn.load(checkpoint(model));
        String sample = TEXT.substring(7, 7 + 47);   // four windows of 10 and one of 6
        var saved = CheckpointFile.read(checkpoint(model));
        var vocab = charrnn.corpus.Vocabulary.ofStrings(saved.meta().vocab());
        double[] logits = new double[vocab.size()];
        double total = 0;
        int[] ix = sample.codePoints().map(vocab::indexOf).toArray();
        try (NetworkStepper stepper = new NetworkStepper(Engine.REFERENCE, saved.params(), Threads.available())) {
            for (int t = 0; t + 1 < ix.length; t++) {
                stepper.step(ix[t], logits);
                total -= Math.log(Sampler.softmax(logits, 1.0)[ix[t + 1]]);
            }
        }
        Score s = m.score(sample);
        assertEquals(46, s.characters());
        double tolerance = model.equals("rnn") ? 1e-12 : 1e-5;   // float64 / float32 models
        assertEquals(total / 46, s.natsPerChar(), tolerance * total / 46);
        // a character the model does not know is skipped: the rest is scored as if it were not there
        Score skipping = m.score(sample.substring(0, 20) + "§" + sample.substring(20));
        assertEquals(1, skipping.skipped());
        assertEquals(s.natsPerChar(), skipping.natsPerChar(), 0.0);
        assertTrue(skipping.toString().endsWith("; 1 outside the vocabulary skipped"), skipping.toString());
    }

    /** One CharRnn shared by eight threads at once: each seed's text is what one thread alone draws. */
    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm"})
    void eightThreadsAtOnceGetTheTextsOfOne(String model) throws Exception {
        CharRnn m = CharRnn.load(checkpoint(model));
        Map<Integer, String> alone = new ConcurrentHashMap<>();
        Map<Integer, Score> scoreAlone = new ConcurrentHashMap<>();
        for (int seed = 0; seed < 8; seed++) {
            alone.put(seed, m.generate("It", Generation.length(400).seed(seed)));
            scoreAlone.put(seed, m.score(TEXT.substring(seed * 50, seed * 50 + 400)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> texts = new ArrayList<>();
            List<Future<Score>> scores = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int seed = 0; seed < 8; seed++) {
                    int s = seed;
                    texts.add(pool.submit(() -> {
                        go.await();
                        return m.generate("It", Generation.length(400).seed(s));
                    }));
                    scores.add(pool.submit(() -> {
                        go.await();
                        return m.score(TEXT.substring(s * 50, s * 50 + 400));
                    }));
                }
            }
            go.countDown();
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(alone.get(i % 8), texts.get(i).get(2, TimeUnit.MINUTES), "seed " + (i % 8));
                assertEquals(scoreAlone.get(i % 8), scores.get(i).get(2, TimeUnit.MINUTES), "score " + (i % 8));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
