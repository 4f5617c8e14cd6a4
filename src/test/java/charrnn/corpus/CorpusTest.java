package charrnn.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    @TempDir
    Path dir;

    @Test
    void countsCodePointsAndSortsTheVocabulary() throws IOException {
        String text = "b😀a𠀀b😀\n";   // an emoji and a CJK Extension B character: one character each
        Corpus corpus = Corpus.scan(write("t.txt", text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(7, corpus.codePoints());
        assertArrayEquals(new int[] {'\n', 'a', 'b', 0x1F600, 0x20000}, corpus.vocabulary().codePoints());
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, corpus.bytes());
        assertEquals(0, corpus.dataStart());
    }

    @Test
    void skipsALeadingByteOrderMark() throws IOException {
        byte[] text = "abcabc".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        Corpus corpus = Corpus.scan(write("bom.txt", withBom));
        assertEquals(6, corpus.codePoints());
        assertEquals(3, corpus.dataStart());
        assertEquals(-1, corpus.vocabulary().indexOf(0xFEFF), "the BOM is not a character of the text");
        try (WindowStream windows = new WindowStream(corpus, 2)) {
            int[] window = new int[3];
            windows.next(window);
            assertEquals("abc", corpus.vocabulary().decode(window));
        }
    }

    @Test
    void reportsInvalidUtf8WithItsFileOffset() throws IOException {
        byte[] bytes = {'a', 'b', 'c', (byte) 0xC3, '('};
        Path file = write("bad.txt", bytes);
        CorpusException e = assertThrows(CorpusException.class, () -> Corpus.scan(file));
        assertTrue(e.getMessage().contains("byte offset 3"), e.getMessage());
    }

    @Test
    void reportsOffsetsCountingTheByteOrderMark() throws IOException {
        byte[] bytes = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', (byte) 0x80};
        Path file = write("bombad.txt", bytes);
        CorpusException e = assertThrows(CorpusException.class, () -> Corpus.scan(file));
        assertTrue(e.getMessage().contains("byte offset 4"), e.getMessage());
    }

    @Test
    void rejectsMissingEmptyAndDirectoryInputs() throws IOException {
        assertTrue(assertThrows(CorpusException.class, () -> Corpus.scan(dir.resolve("nope.txt")))
                .getMessage().endsWith("no such file"));
        assertTrue(assertThrows(CorpusException.class, () -> Corpus.scan(dir))
                .getMessage().endsWith("is a directory, not a text file"));
        Path empty = write("empty.txt", new byte[0]);
        assertTrue(assertThrows(CorpusException.class, () -> Corpus.scan(empty)).getMessage().endsWith("is empty"));
        Path onlyBom = write("onlybom.txt", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        assertTrue(assertThrows(CorpusException.class, () -> Corpus.scan(onlyBom)).getMessage().endsWith("is empty"));
    }

    @Test
    void aTextShorterThanOneWindowSaysHowShort() throws IOException {
        Corpus corpus = Corpus.scan(write("short.txt", "hello".getBytes(StandardCharsets.UTF_8)));
        CorpusException e = assertThrows(CorpusException.class, () -> corpus.requireWindow(25));
        assertTrue(e.getMessage().endsWith("has 5 characters; --seq-length 25 needs at least 26"), e.getMessage());
        corpus.requireWindow(4);   // 5 characters hold one window of T = 4
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }
}
