package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.corpus.Vocabulary;
import charrnn.model.CellType;
import charrnn.model.Engine;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.Precision;
import charrnn.model.StreamState;
import charrnn.util.Rng;
import charrnn.util.Threads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {
    /**
     * Samples drawn in the background, from copies taken when they start, print exactly what samples
     * drawn in place print, in the same place among the other lines, and leave the random stream where
     * it would be, while the trainer changes the parameters and the hidden state meanwhile.
     */
    @Test
    void backgroundSamplesPrintWhatInPlaceSamplesPrint() throws IOException {
        String inPlace = run(false);
        String background = run(true);
        assertEquals(inPlace, background);
        assertTrue(inPlace.contains("----\n ") && inPlace.contains("line 40"), inPlace);
    }

    private static String run(boolean inBackground) throws IOException {
        Vocabulary vocabulary = Vocabulary.ofStrings(List.of("a", "b", "c", "d", "e"));
        ParamSet params = ParamSet.init(new ModelSpec(CellType.RNN, 1, 8, 5, Precision.DOUBLE), new Rng(3));
        params.get("Why").muli(50);   // peaked distributions, so that different states draw different text
        StreamState state = StreamState.zeros(params.spec(), 1);
        Rng rng = new Rng(11);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ModelSamples model = new ModelSamples(Engine.FAST, params, state, Threads.available());
             Samples samples = new Samples(out, vocabulary, rng, 30, model, inBackground)) {
            for (int n = 0; n <= 40; n++) {
                samples.awaitIfDue(n);
                if (n % 7 == 0 || n == 20 || n == 21) {   // also one before the previous is due
                    samples.start(n, 1.0 / (n + 1), n % 5);
                }
                // the trainer moves on: new parameters and hidden state while the sample is drawn
                params.get("l0.Wh").addi(0.05);
                params.get("Why").muli(-1);
                state.h[0].addi(0.3);
                samples.println("line " + n);
            }
            samples.await();
        }
        out.println("random stream at " + Long.toUnsignedString(rng.state()));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
