package charrnn.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.numeric.VectorApi;
import charrnn.testing.ChildJvm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file compresses to the same bytes, equal byte for byte, on 1, 2 and 3 threads, in vectors of every
 * width this CPU runs natively (128 bits up to its preferred width, forced with the system property
 * {@value Lanes#WIDTH_PROPERTY}), in the scalar loops, and in a JVM without the Vector API; and each of
 * those decompresses the others' file. The model's sizes are odd on purpose (E = 5, H = 20, so that rows
 * of 5, 20, 80 and 256 floats take every path of the vector loops: whole blocks, single vectors, scalar
 * tails), with 3 streams of windows of 7 (a stream ends in mid-window).
 */
class SameBytesEverywhereTest {
    private static final Crnn.Settings ODD = new Crnn.Settings(5, 20, 3, 7, 0.01, 9);

    @TempDir
    Path dir;
    private Path original;
    private byte[] here;
    private byte[] hereWithModel;

    /**
     * The child's entry: compress ARGS[0] into ARGS[1] with {@link #ODD} on one thread, and into ARGS[2] with
     * the checkpoint ARGS[3] mixed in; say the width used.
     */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Crnn.compress(Path.of(args[0]), out, ODD, 1, Crnn.Progress.NONE);
            Files.write(Path.of(args[1]), out.toByteArray());
            out.reset();
            Crnn.compress(Path.of(args[0]), out, ODD, Path.of(args[3]), 1, Crnn.Progress.NONE);
            Files.write(Path.of(args[2]), out.toByteArray());
            System.out.println(Lanes.width());
        }
    }

    /**
     * A trained checkpoint (lstm, 2 layers of 16, an embedding of 8, a vocabulary of 57 with multi-byte
     * characters), for compress --model: rows of 8, 16, 64 and 72 floats.
     */
    private static final String MODEL = "src/test/resources/charrnn/compress/golden-lstm.npz";

    private static Path model() {
        return charrnn.testing.Repository.file(MODEL);
    }

    @BeforeEach
    void file() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes(("Call me Ishmael. Some years ago—never mind how long precisely—having little or no money in "
                + "my purse, and nothing particular to interest me on shore, I thought I would sail about a little. "
                + "naïve café 字符 🙂\r\n").repeat(8).getBytes(StandardCharsets.UTF_8));
        byte[] noise = new byte[700];
        new Random(3).nextBytes(noise);
        text.writeBytes(noise);
        original = Files.write(dir.resolve("original"), text.toByteArray());
        here = compress(1, null);
        hereWithModel = compress(1, model());
    }

    private byte[] compress(int threads, Path model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Crnn.compress(original, out, ODD, model, threads, Crnn.Progress.NONE);
        return out.toByteArray();
    }

    @Test
    void anyThreadCountGivesTheSameBytesAndDecodesAnyOther() throws IOException {
        for (int threads = 2; threads <= 3; threads++) {
            assertArrayEquals(here, compress(threads, null), threads + " threads");
            assertArrayEquals(hereWithModel, compress(threads, model()), threads + " threads, with the model");
            Path back = dir.resolve("back" + threads);
            Crnn.decompress(new ByteArrayInputStream(here), "here.crnn", back, threads, Crnn.Progress.NONE);
            assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(back), "decoded on " + threads);
            Crnn.decompress(new ByteArrayInputStream(hereWithModel), "model.crnn", back, model(), threads,
                    Crnn.Progress.NONE);
            assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(back), "decoded with the model on "
                    + threads);
        }
    }

    @Test
    void everyVectorWidthAndTheScalarLoopsGiveTheSameBytes() throws IOException, InterruptedException {
        assertTrue(VectorApi.AVAILABLE, "this JVM has the Vector API (the tests add it)");
        List<List<String>> runs = new ArrayList<>();
        runs.add(List.of("--add-modules", "jdk.incubator.vector", "-D" + Lanes.WIDTH_PROPERTY + "=0"));
        for (int bits = 128; bits <= FloatVector.SPECIES_PREFERRED.vectorBitSize(); bits *= 2) {
            runs.add(List.of("--add-modules", "jdk.incubator.vector", "-D" + Lanes.WIDTH_PROPERTY + "=" + bits));
        }
        runs.add(List.of());   // no Vector API at all
        List<String> widths = new ArrayList<>();
        for (List<String> flags : runs) {
            Path coded = dir.resolve("coded" + widths.size());
            Path codedWithModel = dir.resolve("model" + widths.size());
            ChildJvm.Result r = ChildJvm.run(flags, Child.class, List.of(original.toString(), coded.toString(),
                    codedWithModel.toString(), model().toString()), 3);
            assertEquals(0, r.code(), r.err());
            widths.add(r.out().strip());
            assertArrayEquals(here, Files.readAllBytes(coded), flags + " (" + r.out().strip() + ")");
            assertArrayEquals(hereWithModel, Files.readAllBytes(codedWithModel), flags + " (" + r.out().strip()
                    + "), with the model");
        }
        List<String> expected = new ArrayList<>(List.of("scalar"));
        for (int bits = 128; bits <= FloatVector.SPECIES_PREFERRED.vectorBitSize(); bits *= 2) {
            expected.add(bits + "-bit vectors");
        }
        expected.add("scalar");
        assertEquals(expected, widths, "the widths the children ran in");
    }
}
