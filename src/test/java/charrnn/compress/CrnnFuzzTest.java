package charrnn.compress;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import charrnn.testing.OneLine;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz target for the .crnn header reader, the bytes a user may be handed by anyone: any input ends in a
 * header or a {@link CrnnHeader.BadCrnnException} with a one-line message, never another exception. In
 * {@code mvn test} it replays the committed inputs; {@code bench/fuzz.sh} fuzzes it for a set time.
 */
class CrnnFuzzTest {
    @FuzzTest
    void header(byte[] input) throws IOException {
        try {
            assertNotNull(CrnnHeader.read(new ByteArrayInputStream(input), "fuzz.crnn"));
        } catch (CrnnHeader.BadCrnnException e) {
            OneLine.assertOneLine(e);
        }
    }
}
