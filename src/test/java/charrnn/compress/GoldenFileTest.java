package charrnn.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import charrnn.testing.Repository;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A .crnn file made once (6,000 bytes of Moby-Dick, 2,748 bytes coded by `charrnn compress` with its default
 * settings of the day) and committed with its original: every CI run, on whatever CPU it gets, must decompress it to the
 * original and compress the original again to the same bytes. A change of the model's arithmetic or of the
 * format fails it: then the format version must change.
 */
class GoldenFileTest {
    @TempDir
    Path dir;

    @Test
    void theCommittedFileDecompressesAndTheOriginalCompressesToIt() throws IOException {
        Path original = Repository.file("src/test/resources/charrnn/compress/golden.txt");
        byte[] coded = Files.readAllBytes(Repository.file("src/test/resources/charrnn/compress/golden.txt.crnn"));
        Path out = dir.resolve("golden.txt");
        Crnn.decompress(new ByteArrayInputStream(coded), "golden.txt.crnn", out);
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(out), "decompressed");
        CrnnHeader header = CrnnHeader.read(new ByteArrayInputStream(coded), "golden.txt.crnn");
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        Crnn.compress(original, again, Crnn.Settings.of(header));
        assertArrayEquals(coded, again.toByteArray(), "compressed again");
    }
}
