package charrnn.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import charrnn.compress.CrnnHeader;
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

/** The Java entry points: streams and files round-trip, any thread count the same bytes, bad input one line. */
class CompressorTest {
    @TempDir
    Path dir;

    private static byte[] original() {
        byte[] text = "Call me Ishmael. Some years ago, never mind how long precisely. ".repeat(30)
                .getBytes(StandardCharsets.UTF_8);
        byte[] noise = new byte[300];
        new Random(7).nextBytes(noise);
        byte[] all = Arrays.copyOf(text, text.length + noise.length);
        System.arraycopy(noise, 0, all, text.length, noise.length);
        return all;
    }

    private static byte[] compress(Compressor c, byte[] original) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(original.length, c.compress(new ByteArrayInputStream(original), out));
        return out.toByteArray();
    }

    @Test
    void streamsAndFilesRoundTripWithTheSameBytesOnAnyThreadCount() throws IOException {
        byte[] original = original();
        byte[] one = compress(Compressor.create().withThreads(1), original);
        assertArrayEquals(one, compress(Compressor.create().withThreads(2), original), "2 threads");
        Path file = Files.write(dir.resolve("book.txt"), original);
        ByteArrayOutputStream fromFile = new ByteArrayOutputStream();
        assertEquals(original.length, Compressor.create().compress(file, fromFile));
        assertArrayEquals(one, fromFile.toByteArray(), "from a file");

        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertEquals(original.length, Compressor.create().withThreads(3).decompress(new ByteArrayInputStream(one), back));
        assertArrayEquals(original, back.toByteArray());
        Path copy = dir.resolve("copy.txt");
        Compressor.create().decompress(new ByteArrayInputStream(one), copy);
        assertArrayEquals(original, Files.readAllBytes(copy));
    }

    @Test
    void badBytesAreRefusedInOneLineAndNothingIsWritten() throws IOException {
        byte[] coded = compress(Compressor.create(), original());
        byte[] truncated = Arrays.copyOf(coded, coded.length / 2);
        for (byte[] bad : new byte[][] {truncated, "not compressed".getBytes(StandardCharsets.UTF_8)}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CrnnHeader.BadCrnnException e = assertThrows(CrnnHeader.BadCrnnException.class,
                    () -> Compressor.create().decompress(new ByteArrayInputStream(bad), out));
            OneLine.assertOneLine(e);
            assertEquals(0, out.size(), "nothing written for a bad stream");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compressor.create().withThreads(0));
        assertEquals("--threads must be 1 to 1024, got 0", e.getMessage());
    }

    /** withModel: the checkpoint mixed in round-trips, keeps the thread count, and a compressor without it refuses. */
    @Test
    void aCheckpointsCompressorDecompressesWhatItCompressedAndOnlyIt() throws IOException {
        Path checkpoint = Training.builder().corpus(Files.writeString(dir.resolve("text.txt"), "Call me Ishmael. ".repeat(9)))
                .hiddenSize(10)
                .seqLength(8).maxIterations(20).sampleEvery(0).checkpointDir(dir.resolve("run"))
                .output(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), System.err).build().run()
                .checkpoint();
        byte[] original = original();
        Compressor withModel = Compressor.create().withModel(checkpoint).withThreads(1);
        byte[] coded = compress(withModel, original);
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertEquals(original.length, withModel.withThreads(2).decompress(new ByteArrayInputStream(coded), back));
        assertArrayEquals(original, back.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        charrnn.compress.Crnn.WrongModelException e = assertThrows(charrnn.compress.Crnn.WrongModelException.class,
                () -> Compressor.create().decompress(new ByteArrayInputStream(coded), out));
        OneLine.assertOneLine(e);
        assertEquals(0, out.size(), "nothing written without the checkpoint");
    }
}
