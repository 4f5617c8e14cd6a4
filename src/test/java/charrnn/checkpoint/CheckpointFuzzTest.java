package charrnn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import charrnn.testing.OneLine;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz targets for the readers of checkpoint files, the bytes a user may be handed by anyone. The
 * property: any input ends in a loaded object or a {@link CheckpointException} with a one-line message;
 * never another exception (Jazzer reports those, and an OutOfMemoryError, as findings).
 *
 * <p>In {@code mvn test} each target replays the committed inputs under
 * {@code src/test/resources/charrnn/checkpoint/CheckpointFuzzTestInputs/TARGET/}; {@code bench/fuzz.sh}
 * fuzzes them for a set time.
 */
class CheckpointFuzzTest {
    private static Path file;

    /** The whole reader: zip archive, meta.json, every .npy entry and the checks between them. */
    @FuzzTest
    void checkpointFile(byte[] input) throws IOException {
        if (file == null) {
            file = Files.createTempFile("charrnn-fuzz-", ".npz");
            file.toFile().deleteOnExit();
        }
        Files.write(file, input);
        try {
            assertNotNull(CheckpointFile.read(file));
        } catch (CheckpointException e) {
            OneLine.assertOneLine(e);
        }
    }

    /** A .npy entry's header and values. */
    @FuzzTest
    void npy(byte[] input) throws IOException {
        try {
            assertNotNull(Npy.read("fuzz.npy", input));
        } catch (CheckpointException e) {
            OneLine.assertOneLine(e);
        }
    }

    /** meta.json, versions 1 and 2. */
    @FuzzTest
    void metaJson(byte[] input) {
        try {
            assertNotNull(MetaJson.parse(Path.of("fuzz.npz"), input).meta());
        } catch (CheckpointException e) {
            OneLine.assertOneLine(e);
        }
    }
}
