package charrnn.compress;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import charrnn.testing.OneLine;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz targets for the bytes of a .crnn file, which a user may be handed by anyone: the header reader, and
 * decompress as a whole (a header made valid around arbitrary coded bytes). Any input ends in a header or
 * a decompressed file, or in a {@link CrnnHeader.BadCrnnException} with a one-line message, never another
 * exception, a hang or unbounded memory. And the round trip: any bytes, compressed with a small model on 1
 * or 2 threads, come back exactly. In {@code mvn test} each replays its committed inputs;
 * {@code bench/fuzz.sh} fuzzes them for a set time.
 */
class CrnnFuzzTest {
    private static Path out;
    @FuzzTest
    void header(byte[] input) throws IOException {
        try {
            assertNotNull(CrnnHeader.read(new ByteArrayInputStream(input), "fuzz.crnn"));
        } catch (CrnnHeader.BadCrnnException e) {
            OneLine.assertOneLine(e);
        }
    }

    /**
     * The first 12 bytes choose a small model and a length (so that the header is valid and the run stays
     * short); the rest are the coded bytes.
     */
    @FuzzTest
    void decompress(byte[] input) throws IOException {
        if (out == null) {
            out = Files.createTempFile("charrnn-fuzz-", ".out");
            out.toFile().deleteOnExit();
        }
        if (input.length < 12) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(input);
        int e = 1 + (b.get() & 7);
        int h = 1 + (b.get() & 15);
        int streams = 1 + (b.get() & 3);
        int window = 1 + (b.get() & 15);
        long length = (b.getInt() & 0xFFFFFFFFL) % 2000;
        int crc = b.getInt();
        CrnnHeader header = new CrnnHeader(1, 1, h, e, streams, window, 0.01, 42, null, length, crc);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        header.write(file);
        file.write(input, 12, input.length - 12);
        try {
            Crnn.decompress(new ByteArrayInputStream(file.toByteArray()), "fuzz.crnn", out);
        } catch (CrnnHeader.BadCrnnException x) {
            OneLine.assertOneLine(x);
        }
    }

    /**
     * The first 3 bytes choose a small model (E, H, B, T), the thread count and whether a trained checkpoint is
     * mixed in; the rest is a file (empty to whatever the fuzzer makes), which must decompress to itself.
     */
    @FuzzTest
    void roundTrip(byte[] input) throws IOException {
        if (input.length < 3) {
            return;
        }
        Crnn.Settings settings = new Crnn.Settings(1 + (input[0] & 3), 1 + (input[1] & 7), 1 + (input[2] & 3),
                1 + ((input[2] >> 2) & 15), 0.01, 42);
        int threads = 1 + ((input[0] >> 2) & 1);
        Path model = (input[1] & 8) != 0   // a trained checkpoint mixed in (compress --model)
                ? charrnn.testing.Repository.file("src/test/resources/charrnn/compress/golden-lstm.npz") : null;
        Path file = Files.createTempFile("charrnn-fuzz-", ".in");
        Path back = Files.createTempFile("charrnn-fuzz-", ".back");
        try {
            byte[] original = java.util.Arrays.copyOfRange(input, 3, input.length);
            Files.write(file, original);
            ByteArrayOutputStream coded = new ByteArrayOutputStream();
            Crnn.compress(file, coded, settings, model, threads, Crnn.Progress.NONE);
            Crnn.decompress(new ByteArrayInputStream(coded.toByteArray()), "fuzz.crnn", back, model, 3 - threads,
                    Crnn.Progress.NONE);
            org.junit.jupiter.api.Assertions.assertArrayEquals(original, Files.readAllBytes(back));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(back);
        }
    }
}
