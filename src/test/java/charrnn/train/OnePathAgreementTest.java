package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.checkpoint.CheckpointFile;
import charrnn.corpus.Corpus;
import charrnn.corpus.Utf8Reader;
import charrnn.corpus.Vocabulary;
import charrnn.corpus.WindowStream;
import charrnn.model.Engine;
import charrnn.model.Precision;
import charrnn.model.Stepper;
import charrnn.model.VanillaKernel;
import charrnn.sample.Sampler;
import charrnn.testing.Exact;
import charrnn.util.Rng;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The general path (the one learner over the network seam, at min-char-rnn's configuration: rnn, 1 layer,
 * 1 stream, adagrad, float64, no dropout) against min-char-rnn's own loop, written out here as
 * min-char-rnn has it and driving the vanilla kernel directly: its init, its 25-character windows with the
 * hidden state carried and reset at each wrap, smooth loss, a sample every 100 iterations from the
 * carried state, clip ±5 and Adagrad, and charrnn's held-out scoring. Over 1,000 iterations that wrap
 * around the text eight times, "the same" is: the same raw bits of every parameter, Adagrad memory, hprev
 * and the smooth loss; the same printed lines (speeds and times aside); and the version 1 file's entries,
 * each array's .npy bytes as numpy would write them from the loop's arrays, and its meta.json's position,
 * iteration, smooth loss and random stream.
 */
class OnePathAgreementTest {
    static final int T = 25;
    static final double LEARNING_RATE = 0.1;
    static final double CLIP = 5.0;
    static final int SAMPLE_EVERY = 100;
    static final int SAMPLE_LENGTH = 200;
    static final int LOG_EVERY = 100;
    static final int EVAL_EVERY = 250;
    static final long SEED = 7;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "H={0} {1}, {2} iterations")
    @CsvSource({
        "100, DOUBLE, 1000",   // one thread; the trainer draws samples beside training, from copies
        "260, DOUBLE, 400",    // each step split between two threads; samples in place
        "40, FLOAT, 1000",
    })
    void generalPathIsMinCharRnnBitForBit(int hiddenSize, Precision precision, int iterations) throws Exception {
        Path text = dir.resolve("input.txt");
        Files.writeString(text, text(3_000), StandardCharsets.UTF_8);   // 25-char windows wrap every 108
        Corpus corpus = Corpus.scan(text);
        TrainConfig config = new TrainConfig(hiddenSize, T, LEARNING_RATE, CLIP, SAMPLE_EVERY, SAMPLE_LENGTH,
                LOG_EVERY, iterations, SEED, precision, Engine.FAST, 0.1, EVAL_EVERY);
        assertTrue(config.deep().isMinCharConfiguration());

        MinCharRnn reference = new MinCharRnn(corpus, config);
        reference.run();

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        byte[] file;
        List<INDArray> params = new ArrayList<>();
        List<INDArray> memories = new ArrayList<>();
        INDArray hprev;
        double smoothLoss;
        try (Trainer trainer = Trainer.start(config, corpus, new Rng(SEED),
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            trainer.run();
            file = CheckpointFile.toBytes(trainer.checkpoint());
            TrainingStep general = trainer.trainingStep();
            for (String name : List.of("l0.Wx", "l0.Wh", "Why", "l0.b", "by")) {
                params.add(general.params().get(name).dup());
                memories.add(general.optimizer().state().get("mem").get(name).dup());
            }
            hprev = general.state().h[0].dup();
            smoothLoss = trainer.smoothLoss();
        }

        assertEquals(reference.lines(), lines(printed.toString(StandardCharsets.UTF_8)), "printed lines");
        assertTrue(reference.lines().stream().filter(l -> l.startsWith("val loss")).count() >= 2, "scored");
        assertTrue(reference.lines().stream().filter(l -> l.equals("----")).count() >= 8, "samples printed");
        assertTrue(reference.wraps >= 3, "the text wrapped " + reference.wraps + " times");
        assertEquals(Double.doubleToRawLongBits(reference.smoothLoss), Double.doubleToRawLongBits(smoothLoss),
                "smooth loss");
        List<String> names = List.of("Wxh", "Whh", "Why", "bh", "by");
        for (int i = 0; i < names.size(); i++) {
            assertArrayEquals(Exact.raw(reference.params.get(i)), Exact.raw(params.get(i)), names.get(i));
            assertArrayEquals(Exact.raw(reference.memories.get(i)), Exact.raw(memories.get(i)), "m" + names.get(i));
        }
        assertArrayEquals(Exact.raw(reference.h), Exact.raw(hprev), "hprev");

        Map<String, byte[]> entries = entries(file);
        List<String> arrays = new ArrayList<>(names);
        names.forEach(n -> arrays.add("m" + n));
        arrays.add("hprev");
        assertEquals(arrays.stream().map(n -> n + ".npy").toList(),
                entries.keySet().stream().filter(n -> n.endsWith(".npy")).toList(), "version 1 entries, in order");
        for (int i = 0; i < arrays.size(); i++) {
            INDArray a = i < 5 ? reference.params.get(i) : i < 10 ? reference.memories.get(i - 5) : reference.h;
            long[] shape = i % 5 >= 3 || i == 10 ? new long[] {a.length(), 1} : a.shape();   // vectors as columns
            assertArrayEquals(npy(a, shape), entries.get(arrays.get(i) + ".npy"), arrays.get(i) + ".npy");
        }
        JsonObject meta = JsonParser.parseString(new String(entries.get("meta.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        assertEquals(1, meta.get("version").getAsInt());
        assertEquals(iterations, meta.get("iteration").getAsLong());
        assertEquals(reference.smoothLoss, meta.get("smoothLoss").getAsDouble());
        assertEquals(reference.windows.position(), meta.getAsJsonObject("corpus").get("position").getAsLong());
        assertEquals(reference.windows.byteOffset(), meta.getAsJsonObject("corpus").get("byteOffset").getAsLong());
        assertEquals(Long.toUnsignedString(reference.rng.state()),
                meta.getAsJsonObject("rng").get("state").getAsString());
        reference.close();
    }

    /**
     * min-char-rnn's training loop on the vanilla kernel, with charrnn's printing: a sample before the
     * window of every 100th iteration, the log line after it, the held-out loss after every 250th, and a
     * last line for the last iteration.
     */
    private static final class MinCharRnn implements AutoCloseable {
        final TrainConfig config;
        final Corpus corpus;
        final Vocabulary vocabulary;
        final long limit;
        final Rng rng = new Rng(SEED);
        final List<INDArray> params = new ArrayList<>();     // Wxh (H, V) column-major, Whh, Why, bh, by
        final List<INDArray> grads = new ArrayList<>();
        final List<INDArray> memories = new ArrayList<>();
        final INDArray h;                                     // (1, H) the carried hidden state
        final VanillaKernel kernel;
        final WindowStream windows;
        final StringBuilder out = new StringBuilder();
        double smoothLoss;
        int wraps;

        MinCharRnn(Corpus corpus, TrainConfig config) throws IOException {
            this.config = config;
            this.corpus = corpus;
            this.vocabulary = corpus.vocabulary();
            int hidden = config.hiddenSize();
            int v = vocabulary.size();
            DataType dtype = config.precision().dataType();
            // Wxh = randn(H, V)·0.01, Whh = randn(H, H)·0.01, Why = randn(V, H)·0.01, in that order; biases 0
            params.add(gaussian(hidden, v, dtype).dup('f'));
            params.add(gaussian(hidden, hidden, dtype));
            params.add(gaussian(v, hidden, dtype));
            params.add(Nd4j.zeros(dtype, 1, hidden));
            params.add(Nd4j.zeros(dtype, 1, v));
            for (INDArray p : params) {
                grads.add(p.dup(p.ordering()).assign(0));
                memories.add(p.dup(p.ordering()).assign(0));
            }
            h = Nd4j.zeros(dtype, 1, hidden);
            kernel = new VanillaKernel(params, T);
            limit = config.trainLength(corpus.codePoints());
            windows = new WindowStream(corpus, vocabulary, T, limit);
            smoothLoss = -Math.log(1.0 / v) * T;
        }

        private INDArray gaussian(int rows, int cols, DataType dtype) {
            double[] w = new double[rows * cols];
            for (int i = 0; i < w.length; i++) {
                w[i] = rng.nextGaussian() * 0.01;
            }
            return Nd4j.create(w, new long[] {rows, cols}, DataType.DOUBLE).castTo(dtype);
        }

        void run() throws IOException {
            int[] window = new int[T + 1];
            long n = 0;
            long lastReported = -1;
            for (; n < config.maxIterations(); n++) {
                if (windows.next(window)) {   // the first window, or the text wrapped: hprev = 0
                    h.assign(0.0);
                    wraps += n > 0 ? 1 : 0;
                }
                if (n % SAMPLE_EVERY == 0) {
                    out.append("----\n ").append(vocabulary.decode(sample(window[0]))).append(" \n----\n");
                }
                double loss = kernel.train(window, h, grads, memories, LEARNING_RATE, CLIP);
                smoothLoss = smoothLoss * 0.999 + loss * 0.001;
                boolean log = n % LOG_EVERY == 0;
                boolean evaluate = n % EVAL_EVERY == 0;
                if (log || evaluate) {
                    report(n, log, evaluate);
                    lastReported = n;
                }
            }
            if (lastReported != n - 1) {
                report(n - 1, true, true);
            }
        }

        private void report(long n, boolean log, boolean evaluate) throws IOException {
            if (log) {
                double nats = smoothLoss / T;
                out.append(String.format("iter %d, loss: %f | %.4f nats/char, ", n, smoothLoss, nats)).append('\n');
            }
            if (evaluate) {
                double val = validationLoss();
                out.append(String.format("val loss %.4f nats/char (%.4f bits/char)", val, val / Math.log(2)))
                        .append('\n');
            }
        }

        /** min-char-rnn's sample: from a copy of hprev, each drawn character fed back in. */
        private int[] sample(int seed) {
            INDArray state = h.dup();
            Stepper step = new Stepper() {
                @Override
                public void step(int input, double[] logits) {
                    kernel.step(input, state, logits);
                }

                @Override
                public int vocabSize() {
                    return vocabulary.size();
                }
            };
            return new Sampler(step).sample(seed, SAMPLE_LENGTH, 1.0, rng);
        }

        /** The held-out tail in windows of T+1 sharing their boundary, the state carried from zero. */
        private double validationLoss() throws IOException {
            INDArray state = Nd4j.zeros(h.dataType(), 1, h.length());
            int[] window = new int[T + 1];
            double total = 0;
            long predicted = 0;
            try (Utf8Reader reader = corpus.readerAt(corpus.byteOffsetOf(limit))) {
                window[0] = vocabulary.indexOf(reader.read());
                while (true) {
                    for (int t = 1; t <= T; t++) {
                        int cp = reader.read();
                        if (cp < 0) {
                            return total / predicted;
                        }
                        window[t] = vocabulary.indexOf(cp);
                    }
                    total += kernel.forwardWindow(window, state);
                    predicted += T;
                    window[0] = window[T];
                }
            }
        }

        List<String> lines() {
            return lines(out.toString());
        }

        private static List<String> lines(String text) {
            return OnePathAgreementTest.lines(text);
        }

        @Override
        public void close() throws IOException {
            kernel.close();
            windows.close();
        }
    }

    /** The lines of a run's output, each log line cut after its nats per character (speeds and times differ). */
    static List<String> lines(String text) {
        return Arrays.stream(text.split("\n", -1))
                .map(l -> l.startsWith("iter ") ? l.substring(0, l.indexOf("nats/char, ") + "nats/char, ".length()) : l)
                .toList();
    }

    /** A text of n characters from a fixed seed: words of 1–8 of 26 letters, spaces, commas, newlines. */
    static String text(int n) {
        Rng rng = new Rng(11);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < n) {
            int word = 1 + (int) (rng.nextDouble() * 8);
            for (int i = 0; i < word && sb.length() < n; i++) {
                sb.append((char) ('a' + (int) (rng.nextDouble() * 26)));
            }
            if (sb.length() < n) {
                sb.append(rng.nextDouble() < 0.1 ? '\n' : rng.nextDouble() < 0.05 ? ',' : ' ');
            }
        }
        return sb.toString();
    }

    /** The .npy bytes numpy writes for an array of that shape (format 1.0, C order, little-endian, 64-byte aligned). */
    static byte[] npy(INDArray a, long[] shape) {
        boolean isDouble = a.dataType() == DataType.DOUBLE;
        String header = String.format("{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }",
                isDouble ? "<f8" : "<f4", shape[0], shape[1]);
        int unpadded = 6 + 2 + 2 + header.length() + 1;
        header = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        double[] values = Exact.raw(a);
        ByteBuffer out = ByteBuffer.allocate(10 + header.length() + values.length * (isDouble ? 8 : 4))
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (double v : values) {
            if (isDouble) {
                out.putDouble(v);
            } else {
                out.putFloat((float) v);
            }
        }
        return out.array();
    }

    /** The entries of an npz archive by name, in order: their bytes (its zip headers hold the time of writing). */
    static Map<String, byte[]> entries(byte[] npz) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(npz))) {
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }
}
