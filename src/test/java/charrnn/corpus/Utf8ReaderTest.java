package charrnn.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8ReaderTest {
    // 1, 2, 3 and 4 bytes per character: ASCII, é, 中, 😀 (U+1F600) and 𠀀 (U+20000, CJK Extension B)
    static final String MIXED = "a\u00e9\u4e2d\ud83d\ude00b\ud840\udc00\n\u00e9\ud83d\ude00z";

    @ParameterizedTest(name = "buffer of {0} bytes")
    @ValueSource(ints = {1, 2, 3, 5, 7, 4096})
    void decodesCodePointsWhateverTheBufferBoundaries(int bufferSize) throws IOException {
        byte[] bytes = MIXED.getBytes(StandardCharsets.UTF_8);
        List<Integer> got = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        try (Utf8Reader reader = new Utf8Reader(new ByteArrayInputStream(bytes), 0, bufferSize)) {
            for (int cp = reader.read(); cp >= 0; cp = reader.read()) {
                got.add(cp);
                starts.add(reader.lastStart());
            }
        }
        assertArrayEquals(MIXED.codePoints().toArray(), got.stream().mapToInt(Integer::intValue).toArray());
        // each start offset is the UTF-8 length of the text before it
        int[] cps = MIXED.codePoints().toArray();
        long expected = 0;
        for (int i = 0; i < cps.length; i++) {
            assertEquals(expected, starts.get(i), "start of character " + i);
            expected += Character.toString(cps[i]).getBytes(StandardCharsets.UTF_8).length;
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "61 62 C3 28|2",        // 2-byte lead followed by a non-continuation byte
        "61 62 80|2",           // stray continuation byte
        "61 C0 80|1",           // overlong NUL
        "E0 80 AF|0",           // overlong 3-byte form
        "61 ED A0 80|1",        // UTF-16 surrogate D800
        "F4 90 80 80|0",        // above U+10FFFF
        "61 62 63 E4 B8|3",     // file ends inside a character
        "FF|0",                 // never valid
    })
    void rejectsIllFormedInputNamingTheByteOffset(String spec) {
        String[] parts = spec.split("\\|");
        String[] hex = parts[0].split(" ");
        byte[] bytes = new byte[hex.length];
        for (int i = 0; i < hex.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex[i], 16);
        }
        CorpusException e = assertThrows(CorpusException.class, () -> {
            try (Utf8Reader reader = new Utf8Reader(new ByteArrayInputStream(bytes), 0, 2)) {
                while (reader.read() >= 0) {
                    // decode everything
                }
            }
        });
        assertTrue(e.getMessage().startsWith("invalid UTF-8 at byte offset " + parts[1] + ":"), e.getMessage());
    }
}
