package charrnn.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WindowStreamTest {
    @TempDir
    Path dir;

    /** Streamed windows equal min-char-rnn's rule applied to the whole text in memory. */
    @ParameterizedTest(name = "\"{0}\", T={1}")
    @CsvSource({
        "abcdefghij, 3",       // wraps when p + T + 1 >= N: windows at 0, 3, then back to 0
        "abcdefghijk, 3",
        "abcd, 3",             // exactly T+1 characters: the same window every time
        "a😀b𠀀cdé中f, 2",      // characters beyond the BMP are one position each
        "abcdefghijklmnopqrstuvwxyz, 5",
    })
    void windowsFollowTheWrapRule(String text, int seqLength) throws IOException {
        Path file = dir.resolve("t.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Corpus corpus = Corpus.scan(file);
        int[] cps = text.codePoints().toArray();
        int n = cps.length;
        try (WindowStream windows = new WindowStream(corpus, seqLength)) {
            int p = 0;
            int[] window = new int[seqLength + 1];
            for (int iteration = 0; iteration < 40; iteration++) {
                boolean expectRestart = iteration == 0 || p + seqLength + 1 >= n;
                if (expectRestart) {
                    p = 0;
                }
                String expected = new String(cps, p, seqLength + 1);
                assertEquals(expectRestart, windows.next(window), "restart at iteration " + iteration);
                assertEquals(expected, corpus.vocabulary().decode(window), "window at iteration " + iteration);
                p += seqLength;
                assertEquals(p, windows.position());
                assertEquals(new String(cps, 0, p).getBytes(StandardCharsets.UTF_8).length, windows.byteOffset(),
                        "byte offset of p at iteration " + iteration);
            }
        }
    }
}
