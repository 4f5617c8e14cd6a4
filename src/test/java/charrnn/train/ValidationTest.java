package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.corpus.Corpus;
import charrnn.corpus.Vocabulary;
import charrnn.corpus.WindowStream;
import charrnn.model.Engine;
import charrnn.model.CellType;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.Precision;
import charrnn.util.Threads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.factory.Nd4j;

class ValidationTest {
    @TempDir
    Path dir;

    static TrainConfig config(int seqLength, double valFraction) {
        return new TrainConfig(2, seqLength, 0.1, 5, 0, 10, 0, 100, 1, Precision.DOUBLE, Engine.FAST,
                valFraction, 1000);
    }

    @Test
    void noTrainingWindowTouchesTheHeldOutPart() throws IOException {
        // 40 lowercase characters, then 10 upper-case ones: a fraction of 0.2 holds out exactly the upper case
        String text = "abcdefghij".repeat(4) + "ABCDEFGHIJ";
        Path file = Files.writeString(dir.resolve("t.txt"), text, StandardCharsets.UTF_8);
        Corpus corpus = Corpus.scan(file);
        TrainConfig config = config(3, 0.2);
        long limit = config.trainLength(corpus.codePoints());
        assertEquals(40, limit);
        try (WindowStream windows = new WindowStream(corpus, corpus.vocabulary(), 3, limit)) {
            int[] window = new int[4];
            int wraps = 0;
            for (int i = 0; i < 100; i++) {
                wraps += windows.next(window) ? 1 : 0;
                String s = corpus.vocabulary().decode(window);
                assertFalse(s.chars().anyMatch(Character::isUpperCase), "window " + i + " is " + s);
            }
            assertTrue(wraps > 5, "the wrap rule uses the training part's length");
        }
    }

    @Test
    void fractionsOutOfRangeOrTooLargeAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> config(3, 0.6)).getMessage()
                .contains("--val-fraction must be within [0, 0.5], got 0.6"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> config(3, -0.1)).getMessage()
                .contains("--val-fraction must be within [0, 0.5]"));
        String e = assertThrows(IllegalArgumentException.class, () -> config(25, 0.01).trainLength(1000)).getMessage();
        assertTrue(e.contains("leaves 990 for training and 10 for validation"), e);
        assertEquals(1000, config(25, 0).trainLength(1000));
    }

    /** The held-out loss against a forward pass written out by hand on a 2-unit model. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void lossEqualsAHandComputedForwardPass(Engine kind) throws IOException {
        String train = "abcabcabcabc";                  // 12 characters trained on
        String held = "cabba" + "cbacb";                // 10 held out (fraction 10/22)
        Path file = Files.writeString(dir.resolve("v.txt"), train + held, StandardCharsets.UTF_8);
        Corpus corpus = Corpus.scan(file);
        Vocabulary vocabulary = corpus.vocabulary();     // a, b, c
        double[][] wxh = {{0.5, -0.3, 0.2}, {0.1, 0.4, -0.6}};
        double[][] whh = {{0.3, -0.2}, {0.25, 0.15}};
        double[][] why = {{0.7, -0.1}, {-0.4, 0.9}, {0.2, 0.3}};
        double[] bh = {0.05, -0.05};
        double[] by = {0.1, 0.0, -0.1};
        ParamSet params = ParamSet.of(new ModelSpec(CellType.RNN, 1, 2, 3, Precision.DOUBLE), java.util.Map.of(
                "l0.Wx", Nd4j.createFromArray(wxh), "l0.Wh", Nd4j.createFromArray(whh), "Why", Nd4j.createFromArray(why),
                "l0.b", Nd4j.createFromArray(bh), "by", Nd4j.createFromArray(by)));
        int seqLength = 3;
        long start = train.length();
        double actual;
        // one stream, as min-char-rnn's configuration scores (the batch size caps the streams)
        Validation validation = new Validation(corpus, vocabulary, kind, params, seqLength, start, 1, Threads.available());
        try {
            actual = validation.lossPerChar();
        } finally {
            validation.close();
        }

        // by hand: windows of 4 characters sharing their boundary, h carried from zero; "cabba" + "cbacb" has
        // 9 predictions, of which the complete windows cover 9 (3 windows of 3)
        int[] ix = held.chars().map(c -> c - 'a').toArray();
        double[] h = {0, 0};
        double total = 0;
        int predicted = 0;
        for (int w = 0; w + seqLength < ix.length; w += seqLength) {
            for (int t = 0; t < seqLength; t++) {
                int x = ix[w + t];
                int target = ix[w + t + 1];
                double[] next = new double[2];
                for (int i = 0; i < 2; i++) {
                    next[i] = Math.tanh(wxh[i][x] + whh[i][0] * h[0] + whh[i][1] * h[1] + bh[i]);
                }
                h = next;
                double[] y = new double[3];
                double sum = 0;
                for (int v = 0; v < 3; v++) {
                    y[v] = why[v][0] * h[0] + why[v][1] * h[1] + by[v];
                    sum += Math.exp(y[v]);
                }
                total += -Math.log(Math.exp(y[target]) / sum);
                predicted++;
            }
        }
        assertEquals(9, predicted);
        assertEquals(total / predicted, actual, 1e-12);
    }
}
