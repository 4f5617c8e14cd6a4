package charrnn.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import charrnn.testing.OneLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The .crnn header: written and read back field for field; every kind of bad header refused in one line. */
class CrnnHeaderTest {
    private static final CrnnHeader ONLINE = new CrnnHeader(1, 2, 256, 32, 8, 64, 0.002, 42, null, 1_115_394,
            0x12345678);

    @Test
    void readsBackWhatItWrote() throws IOException {
        byte[] digest = new byte[32];
        Arrays.fill(digest, (byte) 0xA5);
        for (CrnnHeader h : new CrnnHeader[] {ONLINE, new CrnnHeader(0, 1, 1, 1, 1, 1, 0, -1, digest, 0, -1),
            new CrnnHeader(2, 8, 4096, 4096, 4096, 4096, 1e-3, Long.MIN_VALUE, null, CrnnHeader.MAX_LENGTH, 0)}) {
            byte[] bytes = bytes(h);
            assertEquals(CrnnHeader.SIZE, bytes.length);
            CrnnHeader back = CrnnHeader.read(new ByteArrayInputStream(bytes), "x.crnn");
            assertEquals(h.cell(), back.cell());
            assertEquals(h.layers(), back.layers());
            assertEquals(h.hiddenSize(), back.hiddenSize());
            assertEquals(h.embeddingSize(), back.embeddingSize());
            assertEquals(h.streams(), back.streams());
            assertEquals(h.window(), back.window());
            assertEquals(Double.doubleToLongBits(h.learningRate()), Double.doubleToLongBits(back.learningRate()));
            assertEquals(h.seed(), back.seed());
            assertEquals(h.length(), back.length());
            assertEquals(h.crc(), back.crc());
            if (h.checkpoint() == null) {
                assertNull(back.checkpoint());
            } else {
                assertArrayEquals(h.checkpoint(), back.checkpoint());
            }
        }
    }

    @Test
    void refusesWhatIsNotAGoodHeaderInOneLine() throws IOException {
        byte[] good = bytes(ONLINE);
        assertRefused(new byte[0], "x.crnn is not a .crnn file (too short for its header)");
        assertRefused(Arrays.copyOf(good, CrnnHeader.SIZE - 1), "x.crnn is not a .crnn file (too short for its header)");
        byte[] text = Arrays.copyOf("hello, this is a text file and not a compressed one at all, no".getBytes(),
                CrnnHeader.SIZE);
        assertRefused(text, "x.crnn is not a .crnn file");
        byte[] future = good.clone();
        future[4] = (byte) (CrnnHeader.VERSION + 1);
        assertRefused(future, "x.crnn is a .crnn file of format version " + (CrnnHeader.VERSION + 1) + "; this charrnn "
                + "reads version " + CrnnHeader.VERSION + " (a newer charrnn wrote it)");
        byte[] past = good.clone();
        past[4] = 1;
        assertRefused(past, "x.crnn is a .crnn file of format version 1; this charrnn reads version "
                + CrnnHeader.VERSION + " (an earlier charrnn wrote it: decompress it with that one)");
        for (int i = 5; i < CrnnHeader.SIZE; i++) {   // any flipped bit after the version: the header's checksum
            byte[] flipped = good.clone();
            flipped[i] ^= 0x10;
            assertRefused(flipped, "x.crnn is corrupt: its header does not match its checksum");
        }
    }

    private static void assertRefused(byte[] bytes, String message) {
        CrnnHeader.BadCrnnException e = assertThrows(CrnnHeader.BadCrnnException.class,
                () -> CrnnHeader.read(new ByteArrayInputStream(bytes), "x.crnn"));
        assertEquals(message, e.getMessage());
        OneLine.assertOneLine(e);
    }

    static byte[] bytes(CrnnHeader h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.write(out);
        return out.toByteArray();
    }
}
