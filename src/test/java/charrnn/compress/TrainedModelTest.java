package charrnn.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.api.CharRnn;
import charrnn.api.Training;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code compress --model}: the checkpoint's cells recomputed by {@link TrainedModel} give the network's
 * own probabilities; files round-trip with any checkpoint, whatever their bytes; the same bytes on any
 * thread count; a model of the text's kind makes the file smaller; decompress refuses any other checkpoint.
 */
class TrainedModelTest {
    private static final Crnn.Settings SMALL = new Crnn.Settings(5, 20, 2, 7, 0.01, 9);

    @TempDir
    Path dir;

    /** The first half of the golden text (Moby-Dick's first page), to train on; the second half is coded. */
    private static String[] halves() throws IOException {
        try (InputStream in = TrainedModelTest.class.getResourceAsStream("golden.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int half = text.offsetByCodePoints(0, text.codePointCount(0, text.length()) / 2);
            return new String[] {text.substring(0, half), text.substring(half)};
        }
    }

    /**
     * About {@code length} characters of sentences of forty made-up words: text of one kind, which a model
     * trained on one sample of it predicts in another drawn with another seed.
     */
    static String sentences(int length, long seed) {
        Random words = new Random(11);
        String[] lexicon = new String[40];
        for (int i = 0; i < lexicon.length; i++) {
            StringBuilder w = new StringBuilder();
            for (int k = 0, n = 2 + words.nextInt(7); k < n; k++) {
                w.append((char) ('a' + words.nextInt(26)));
            }
            lexicon[i] = w.toString();
        }
        Random draw = new Random(seed);
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            StringBuilder sentence = new StringBuilder(lexicon[draw.nextInt(lexicon.length)]);
            sentence.setCharAt(0, Character.toUpperCase(sentence.charAt(0)));
            for (int k = 0, n = 3 + draw.nextInt(6); k < n; k++) {
                sentence.append(' ').append(lexicon[draw.nextInt(lexicon.length)]);
            }
            text.append(sentence).append(draw.nextInt(4) == 0 ? ".\n" : ". ");
        }
        return text.toString();
    }

    /** A checkpoint of {@code cell} trained for {@code iterations} on {@code text}. */
    private Path train(String text, String cell, int layers, int embedding, int iterations, String name)
            throws IOException {
        Path corpus = Files.writeString(dir.resolve(name + ".txt"), text);
        Training.Builder b = Training.builder().corpus(corpus).cell(cell).layers(layers).hiddenSize(24).seqLength(16)
                .maxIterations(iterations).sampleEvery(0).seed(5).checkpointDir(dir.resolve(name))
                .output(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), System.err);
        if (!cell.equals("rnn")) {
            b.embeddingSize(embedding).learningRate(0.01);
        }
        return b.build().run().checkpoint();
    }

    private byte[] compress(Path file, Path model, int threads) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Crnn.compress(file, out, SMALL, model, threads, Crnn.Progress.NONE);
        return out.toByteArray();
    }

    private byte[] decompress(byte[] coded, Path model, int threads) throws IOException {
        Path back = dir.resolve("back");
        Crnn.decompress(new ByteArrayInputStream(coded), "coded.crnn", back, model, threads, Crnn.Progress.NONE);
        return Files.readAllBytes(back);
    }

    /**
     * The recomputed model's loss on a text equals the network's (CharRnn.score, ND4J's products) within
     * 2e-5 nats per character: float32 in another order of sums against float32 or float64. A wrong gate is
     * off by far more (the lstm's f read from o's rows: by 0.03 and 0.10 nats per character).
     */
    @ParameterizedTest
    @CsvSource({"rnn, 1, 0", "lstm, 2, 6", "lstm, 1, 0", "gru, 2, 0", "gru, 1, 5"})
    void theRecomputedCellsGiveTheNetworksOwnLoss(String cell, int layers, int embedding) throws IOException {
        String[] text = halves();
        Path checkpoint = train(text[0], cell, layers, embedding, 300, cell + layers + embedding);
        CharRnn network = CharRnn.load(checkpoint);
        String scored = "\n" + text[1].codePoints().filter(network::knows)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append);
        double expected = network.score(scored).natsPerChar();

        TrainedModel model = TrainedModel.load(checkpoint, 1);   // it has read "\n" already
        java.util.List<String> vocabulary = network.vocabulary();
        double sum = 0;
        long n = 0;
        for (int cp : scored.substring(1).codePoints().toArray()) {
            sum -= Math.log(model.characterProbabilities(0)[vocabulary.indexOf(Character.toString(cp))]);
            n++;
            for (byte y : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) {
                model.update(0, y & 0xFF);
            }
        }
        assertEquals(expected, sum / n, 2e-5, cell + ": nats per character");
        assertTrue(expected < Math.log(vocabulary.size()), "the network learned something: " + expected);
    }

    /** Any bytes come back (text it knows, characters it does not, bytes that are not UTF-8), on any thread count. */
    @Test
    void anyBytesRoundTripWithTheSameBytesOnAnyThreadCount() throws IOException {
        String[] text = halves();
        Path checkpoint = train(text[0], "lstm", 2, 6, 30, "lstm");
        ByteArrayOutputStream mixed = new ByteArrayOutputStream();
        mixed.writeBytes((text[1] + "naïve café 字符 🙂 Ω\r\n").getBytes(StandardCharsets.UTF_8));
        byte[] noise = new byte[1500];
        new Random(7).nextBytes(noise);
        mixed.writeBytes(noise);
        mixed.writeBytes(new byte[] {(byte) 0xE2, (byte) 0x80, 'a', (byte) 0xC0, (byte) 0x80, (byte) 0xF0, (byte) 0x9F});
        for (byte[] bytes : new byte[][] {mixed.toByteArray(), new byte[0], {'a'}, {(byte) 0xC3}}) {
            Path file = Files.write(dir.resolve("file"), bytes);
            byte[] one = compress(file, checkpoint, 1);
            assertArrayEquals(one, compress(file, checkpoint, 2), "2 threads, " + bytes.length + " bytes");
            assertArrayEquals(bytes, decompress(one, checkpoint, 1), bytes.length + " bytes on 1 thread");
            assertArrayEquals(bytes, decompress(one, checkpoint, 2), bytes.length + " bytes on 2 threads");
        }
    }

    /**
     * A text of the kind a model was trained on (3,000 characters of {@link #sentences} drawn with another
     * seed) codes smaller with the model than without: measured 695 against 986 bytes; asserted with a
     * margin of 20 %.
     */
    @Test
    void aModelOfTheTextsKindMakesItSmaller() throws IOException {
        Path corpus = Files.writeString(dir.resolve("kind.txt"), sentences(20_000, 1));
        Path checkpoint = Training.builder().corpus(corpus).cell("lstm").hiddenSize(24).embeddingSize(16)
                .seqLength(16).batchSize(4).learningRate(0.01).maxIterations(600).sampleEvery(0).seed(5)
                .checkpointDir(dir.resolve("kind")).output(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                        System.err).build().run().checkpoint();
        Path file = Files.writeString(dir.resolve("other.txt"), sentences(3_000, 2));
        int without = compress(file, null, 1).length;
        int with = compress(file, checkpoint, 1).length;
        assertTrue(with < 0.8 * without, "with the model " + with + " bytes, without " + without);
    }

    /** Decompress refuses another checkpoint, a missing one and an extra one, in one line, leaving no output. */
    @Test
    void decompressRefusesAnyOtherCheckpoint() throws IOException {
        String[] text = halves();
        Path checkpoint = train(text[0], "rnn", 1, 0, 10, "a");
        Path other = train(text[0], "rnn", 1, 0, 11, "b");
        Path file = Files.writeString(dir.resolve("text.txt"), text[1].substring(0, 300));
        byte[] coded = compress(file, checkpoint, 1);
        byte[] plain = compress(file, null, 1);

        Crnn.WrongModelException wrong = assertThrows(Crnn.WrongModelException.class,
                () -> decompress(coded, other, 1));
        assertTrue(wrong.getMessage().startsWith(other + " is not the checkpoint coded.crnn was coded with (SHA-256 "
                + Crnn.hex(TrainedModel.sha256(checkpoint))), wrong.getMessage());
        Crnn.WrongModelException missing = assertThrows(Crnn.WrongModelException.class,
                () -> decompress(coded, null, 1));
        assertTrue(missing.getMessage().contains("give that checkpoint with --model"), missing.getMessage());
        Crnn.WrongModelException extra = assertThrows(Crnn.WrongModelException.class,
                () -> decompress(plain, checkpoint, 1));
        assertTrue(extra.getMessage().contains("without --model"), extra.getMessage());
        for (String m : new String[] {wrong.getMessage(), missing.getMessage(), extra.getMessage()}) {
            assertFalse(m.contains("\n"), m);
        }
        assertFalse(Files.exists(dir.resolve("back")), "no output left behind");
        assertArrayEquals(Files.readAllBytes(file), decompress(coded, checkpoint, 1));
    }
}
