package charrnn.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import charrnn.testing.OneLine;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzz target for the corpus's UTF-8 decoder, against Java's own strict decoder as the reference: the
 * same inputs accepted, the same characters, the offset at the end equal to the input's length, and
 * any refusal a {@link CorpusException} with a one-line message. The first byte chooses the reader's
 * buffer size (1 to 16 bytes), so that characters split across reads are decoded too.
 */
class Utf8FuzzTest {
    @FuzzTest
    void utf8(byte[] input) throws IOException {
        int bufferSize = input.length == 0 ? 1 : 1 + (input[0] & 0x0F);
        byte[] bytes = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        String expected;
        try {
            expected = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            expected = null;
        }
        StringBuilder decoded = new StringBuilder();
        try (Utf8Reader reader = new Utf8Reader(new ByteArrayInputStream(bytes), 0, bufferSize)) {
            for (int cp = reader.read(); cp >= 0; cp = reader.read()) {
                decoded.appendCodePoint(cp);
            }
            assertNotNull(expected, "accepted what Java's strict decoder refuses");
            assertEquals(expected, decoded.toString());
            assertEquals(bytes.length, reader.offset());
        } catch (CorpusException e) {
            assertNull(expected, "refused well-formed UTF-8: " + e.getMessage());
            OneLine.assertOneLine(e);
        }
    }
}
