package charrnn.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.testing.OneLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compress and decompress: any bytes back exactly; a text made smaller; a damaged file refused, nothing left behind. */
class CrnnTest {
    private static final Crnn.Settings SMALL = new Crnn.Settings(8, 16, 3, 8, 0.01, 42);

    @TempDir
    Path dir;

    @Test
    void anyBytesComeBackExactly() throws IOException {
        Random r = new Random(1);
        byte[][] inputs = {new byte[0], {42}, {0, (byte) 255}, bytes(r, 5), bytes(r, 1000),
            "a b a b a b a b a b a b a b a b a b a b".getBytes(StandardCharsets.UTF_8),
            "naïve café — 字符 🙂\r\n\0".getBytes(StandardCharsets.UTF_8)};
        for (byte[] original : inputs) {
            assertArrayEquals(original, roundTrip(original, SMALL), Arrays.toString(original));
        }
    }

    /**
     * Random byte strings from empty to 64 KB (lengths spread over the powers of two and next to them), of
     * three kinds: uniform bytes, a few symbols, and runs; each back exactly, with settings drawn too.
     */
    @Test
    void randomStringsUpTo64KbComeBackExactly() throws IOException {
        Random r = new Random(64);
        for (int bits = 0; bits <= 16; bits++) {
            int n = Math.min(1 << 16, (1 << bits) - 1 + r.nextInt(3));
            byte[] original = new byte[n];
            int kind = bits % 3;
            for (int i = 0; i < n; i++) {
                original[i] = (byte) (kind == 0 ? r.nextInt(256) : kind == 1 ? "abc\n".charAt(r.nextInt(4))
                        : i > 0 && r.nextInt(8) > 0 ? original[i - 1] : r.nextInt(256));
            }
            Crnn.Settings settings = new Crnn.Settings(1 + r.nextInt(8), 1 + r.nextInt(16), 1 + r.nextInt(4),
                    1 + r.nextInt(20), 0.01, r.nextLong());
            assertArrayEquals(original, roundTrip(original, settings), n + " bytes of kind " + kind + ", " + settings);
        }
    }

    @Test
    void aTextComesOutSmallerThanItWent() throws IOException {
        byte[] text = ("It is a truth universally acknowledged, that a single man in possession of a good fortune, "
                + "must be in want of a wife. ").repeat(40).getBytes(StandardCharsets.UTF_8);
        // one stream of windows of 16 learning at 0.02: 937 bytes for 4,720 (1.59 bits per byte)
        byte[] coded = compress(text, new Crnn.Settings(16, 32, 1, 16, 0.02, 42));
        assertTrue(coded.length < text.length / 4, coded.length + " bytes for " + text.length);
        assertArrayEquals(text, decompress(coded));
    }

    @Test
    void aDamagedFileIsRefusedInOneLineAndLeavesNoOutput() throws IOException {
        byte[] text = "the same bytes again and again, the same bytes again and again. ".repeat(30)
                .getBytes(StandardCharsets.UTF_8);
        byte[] coded = compress(text, SMALL);
        byte[] truncated = Arrays.copyOf(coded, CrnnHeader.SIZE + (coded.length - CrnnHeader.SIZE) / 2);
        byte[] flipped = coded.clone();
        flipped[CrnnHeader.SIZE + 20] ^= 0x5A;
        for (byte[] bad : new byte[][] {truncated, flipped}) {
            Path out = dir.resolve("out");
            CrnnHeader.BadCrnnException e = assertThrows(CrnnHeader.BadCrnnException.class,
                    () -> Crnn.decompress(new ByteArrayInputStream(bad), "x.crnn", out));
            OneLine.assertOneLine(e);
            assertTrue(e.getMessage().startsWith("x.crnn is "), e.getMessage());
            assertFalse(Files.exists(out), "no output left behind");
        }
    }

    @Test
    void aHeaderAskingForAHugeModelIsRefusedBeforeAnythingIsAllocated() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        new CrnnHeader(1, 1, 4096, 4096, 4096, 4096, 0.01, 42, null, 1 << 20, 0).write(file);
        file.write(new byte[64]);
        Path out = dir.resolve("out");
        CrnnHeader.BadCrnnException e = assertThrows(CrnnHeader.BadCrnnException.class,
                () -> Crnn.decompress(new ByteArrayInputStream(file.toByteArray()), "x.crnn", out));
        assertTrue(e.getMessage().startsWith("x.crnn asks for a model of "), e.getMessage());
        assertFalse(Files.exists(out));
    }

    private byte[] roundTrip(byte[] original, Crnn.Settings settings) throws IOException {
        return decompress(compress(original, settings));
    }

    private byte[] compress(byte[] original, Crnn.Settings settings) throws IOException {
        Path in = dir.resolve("in");
        Files.write(in, original);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Crnn.compress(in, out, settings);
        return out.toByteArray();
    }

    private byte[] decompress(byte[] coded) throws IOException {
        Path out = dir.resolve("out");
        Crnn.decompress(new ByteArrayInputStream(coded), "x.crnn", out);
        byte[] back = Files.readAllBytes(out);
        Files.delete(out);
        return back;
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
