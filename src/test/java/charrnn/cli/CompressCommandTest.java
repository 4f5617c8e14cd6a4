package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.util.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** charrnn compress and decompress from the command line: the round trip, the names, and every refusal in one line. */
class CompressCommandTest {
    @TempDir
    Path dir;

    @Test
    void compressesAndDecompressesAFileBesideItself() throws IOException {
        Path book = dir.resolve("book.txt");
        byte[] text = "Call me Ishmael. Some years ago, never mind how long precisely. ".repeat(20)
                .getBytes(StandardCharsets.UTF_8);
        Files.write(book, text);
        CliRunner.Result c = CliRunner.run("compress", book.toString()).assertOk();
        Path crnn = dir.resolve("book.txt.crnn");
        assertTrue(Files.size(crnn) < text.length, Files.size(crnn) + " bytes");
        assertTrue(c.err().contains("compressed 1,280 bytes to "), c.err());
        assertTrue(Files.exists(book), "the input is kept");
        Files.move(book, dir.resolve("original.txt"));
        CliRunner.run("decompress", crnn.toString(), "-q").assertOk();
        assertArrayEquals(text, Files.readAllBytes(book));
        assertNoLeftovers();
    }

    @Test
    void refusesInOneLine() throws IOException {
        Path book = dir.resolve("book.txt");
        Files.writeString(book, "some text");
        CliRunner.run("compress", dir.resolve("missing.txt").toString())
                .assertOneLineError(1, "missing.txt: no such file");
        CliRunner.run("compress", dir.toString()).assertOneLineError(2, "is a directory");
        CliRunner.run("compress", book.toString(), "-q").assertOk();
        CliRunner.run("compress", book.toString()).assertOneLineError(2, "book.txt.crnn exists");
        CliRunner.run("compress", book.toString(), "-q", "--force").assertOk();
        CliRunner.run("decompress", book.toString()).assertOneLineError(2, "does not end in .crnn");
        Files.writeString(dir.resolve("fake.crnn"), "this is not a compressed file, it is plain text, long enough");
        CliRunner.run("decompress", dir.resolve("fake.crnn").toString()).assertOneLineError(1, "is not a .crnn file");
        assertFalse(Files.exists(dir.resolve("fake")), "no output left behind");
        byte[] coded = Files.readAllBytes(dir.resolve("book.txt.crnn"));
        Files.write(dir.resolve("cut.crnn"), java.util.Arrays.copyOf(coded, coded.length - 3));
        CliRunner.run("decompress", dir.resolve("cut.crnn").toString()).assertOneLineError(1, "cut.crnn is ");
        assertFalse(Files.exists(dir.resolve("cut")), "no output left behind");
        CliRunner.run("decompress", dir.resolve("book.txt.crnn").toString()).assertOneLineError(2, "book.txt exists");
        assertNoLeftovers();
    }

    /** --model: the round trip with the checkpoint, and every refusal in one line with no output left behind. */
    @Test
    void withACheckpointOnlyThatCheckpointDecompresses() throws IOException {
        Path model = charrnn.testing.Repository.file("src/test/resources/checkpoints/numpy-v2-b_gru_L2_H8_B3_T7_rmsprop.npz");
        Path other = charrnn.testing.Repository.file("src/test/resources/checkpoints/numpy-v2-c_rnn_L2_H8_B2_T5_adagrad.npz");
        Path book = dir.resolve("book.txt");
        byte[] text = "Call me Ishmael. Some years ago—never mind how long precisely—".repeat(20)
                .getBytes(StandardCharsets.UTF_8);
        Files.write(book, text);
        CliRunner.run("compress", book.toString(), "-q", "--model", model.toString()).assertOk();
        Files.delete(book);
        String crnn = dir.resolve("book.txt.crnn").toString();
        CliRunner.run("decompress", crnn).assertOneLineError(1, "was coded with a trained model: give that "
                + "checkpoint with --model");
        CliRunner.run("decompress", crnn, "--model", other.toString()).assertOneLineError(1, other
                + " is not the checkpoint " + crnn + " was coded with (SHA-256 ");
        CliRunner.run("decompress", crnn, "--model", dir.resolve("missing.npz").toString())
                .assertOneLineError(1, "missing.npz: no such file");
        CliRunner.run("compress", dir.resolve("book.txt.crnn").toString(), "--model", crnn)
                .assertOneLineError(1, "book.txt.crnn is truncated or corrupt, or not a checkpoint");
        assertFalse(Files.exists(book), "no output left behind");
        CliRunner.run("decompress", crnn, "-q", "--model", model.toString()).assertOk();
        assertArrayEquals(text, Files.readAllBytes(book));
        assertNoLeftovers();
    }

    private void assertNoLeftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().startsWith(AtomicFile.TEMP_PREFIX)).count(),
                    "temporary files");
        }
    }
}
