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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        check("golden.txt.crnn", null);
    }

    /**
     * The same with {@code --model}: golden.txt coded with a small trained checkpoint (lstm, 2 layers of 16,
     * an embedding of 8, trained on golden.txt itself: 2,565 bytes), and with two checkpoints of initial
     * weights (gru and rnn, 2 layers of 8, one-hot input, float64 weights: 2,691 bytes each).
     */
    @ParameterizedTest
    @CsvSource({"golden.txt.lstm.crnn, src/test/resources/charrnn/compress/golden-lstm.npz",
            "golden.txt.gru.crnn, src/test/resources/checkpoints/numpy-v2-b_gru_L2_H8_B3_T7_rmsprop.npz",
            "golden.txt.rnn.crnn, src/test/resources/checkpoints/numpy-v2-c_rnn_L2_H8_B2_T5_adagrad.npz"})
    void theCommittedFilesCodedWithACheckpointDecompressAndCompressToThemAgain(String name, String model)
            throws IOException {
        check(name, Repository.file(model));
    }

    private void check(String name, Path model) throws IOException {
        Path original = Repository.file("src/test/resources/charrnn/compress/golden.txt");
        byte[] coded = Files.readAllBytes(Repository.file("src/test/resources/charrnn/compress/" + name));
        Path out = dir.resolve("golden.txt");
        Crnn.decompress(new ByteArrayInputStream(coded), name, out, model, 1, Crnn.Progress.NONE);
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(out), "decompressed");
        CrnnHeader header = CrnnHeader.read(new ByteArrayInputStream(coded), name);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        Crnn.compress(original, again, Crnn.Settings.of(header), model, 2, Crnn.Progress.NONE);
        assertArrayEquals(coded, again.toByteArray(), "compressed again");
    }
}
