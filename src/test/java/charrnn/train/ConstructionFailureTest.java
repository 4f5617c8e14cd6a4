package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.checkpoint.Checkpoint;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer whose construction fails leaves nothing open: the corpus reader a resumed run opens at its
 * saved position is closed again (counted in /proc/self/fd, Linux's list of this process's open files).
 */
class ConstructionFailureTest {
    @TempDir
    Path dir;

    private static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static TrainConfig config(int hiddenSize) {
        return new TrainConfig(hiddenSize, 5, 0.1, 5, 0, 10, 0, 40, 1, Precision.DOUBLE, Engine.FAST, 0.0, 100);
    }

    @Test
    void aResumeThatFailsClosesTheCorpusReaderItOpened() throws IOException {
        Path text = Files.writeString(dir.resolve("text.txt"), "hello world, hello charrnn. ".repeat(10),
                StandardCharsets.UTF_8);
        Corpus corpus = Corpus.scan(text);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Checkpoint saved;
        try (Trainer trainer = Trainer.start(config(4), corpus, new Rng(1), quiet)) {
            trainer.run();
            saved = trainer.checkpoint();
        }
        assertTrue(saved.meta().corpus().position() > 0, "the run stopped inside the text");
        long before = openFiles();
        // the saved parameters have 4 units; a configuration of 6 is refused after the reader is opened
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.resume(config(6), corpus, saved, true, new Rng(1), quiet));
        assertTrue(e.getMessage().contains("do not fit hidden size 6"), e.getMessage());
        assertEquals(before, openFiles(), "files left open by the failed construction");
    }
}
