package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.corpus.Corpus;
import charrnn.model.Engine;
import charrnn.model.Precision;
import charrnn.util.Rng;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LearningTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, {1} engine")
    @CsvSource({"DOUBLE, FAST", "FLOAT, FAST", "DOUBLE, REFERENCE", "FLOAT, REFERENCE"})
    void lossFallsWellBelowItsStartOnARepetitiveText(Precision precision, Engine engine) throws IOException {
        Path file = dir.resolve("text.txt");
        Files.writeString(file, "the cat sat on the mat. ".repeat(40), StandardCharsets.UTF_8);
        Corpus corpus = Corpus.scan(file);
        int seqLength = 16;
        TrainConfig config = new TrainConfig(32, seqLength, 0.1, 5.0, 100, 50, 100, 400, 1, precision, engine, 0.0, 1000);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Trainer trainer = Trainer.start(config, corpus, new Rng(1), new PrintStream(log, true,
                StandardCharsets.UTF_8))) {
            double start = -Math.log(1.0 / corpus.vocabulary().size()) * seqLength;
            assertEquals(start, trainer.smoothLoss(), 1e-12, "smooth loss starts at -ln(1/V)·T");
            trainer.run();
            assertEquals(400, trainer.iteration());
            assertTrue(trainer.lastLoss() < 0.1 * start,
                    "window loss " + trainer.lastLoss() + " should fall well below " + start);
        }
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("iter 0, loss: "), out);
        assertTrue(out.contains("iter 300, loss: "), out);
        assertEquals(4, out.split("----\n", -1).length / 2, "a sample at iterations 0, 100, 200 and 300");
    }
}
