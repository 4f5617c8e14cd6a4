package charrnn.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.corpus.CorpusException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training from Java: the command line's run, from a stream, stopped from another thread, reported. */
class TrainingTest {
    @TempDir
    Path dir;

    /** Every array of two checkpoints, compared by raw bits. */
    static void assertSameArrays(Path a, Path b) throws IOException {
        var x = charrnn.checkpoint.CheckpointFile.read(a);
        var y = charrnn.checkpoint.CheckpointFile.read(b);
        try (ZipFile za = new ZipFile(a.toFile()); ZipFile zb = new ZipFile(b.toFile())) {
            List<String> names = java.util.Collections.list(za.entries()).stream().map(e -> e.getName())
                    .filter(n -> n.endsWith(".npy")).toList();
            assertFalse(names.isEmpty());
            for (String n : names) {
                assertArrayEquals(za.getInputStream(za.getEntry(n)).readAllBytes(),
                        zb.getInputStream(zb.getEntry(n)).readAllBytes(), n);
            }
        }
        assertEquals(x.meta().smoothLoss(), y.meta().smoothLoss());
        assertEquals(x.meta().iteration(), y.meta().iteration());
    }

    @Test
    void aRunFromJavaIsTheCommandLinesRun() throws IOException {
        Path text = Files.writeString(dir.resolve("text.txt"), CharRnnTest.TEXT);
        String cliOut = CharRnnTest.cli("train", text.toString(), "--cell", "lstm", "--hidden-size", "12",
                "--batch-size", "3", "--seq-length", "8", "--max-iterations", "40", "--sample-every", "20",
                "--log-every", "10", "--checkpoint-dir", dir.resolve("cli").toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TrainingResult r = Training.builder().corpus(text).cell("lstm").hiddenSize(12).batchSize(3).seqLength(8)
                .maxIterations(40).sampleEvery(20).logEvery(10).checkpointDir(dir.resolve("api"))
                .output(new PrintStream(out, true, StandardCharsets.UTF_8), System.err).build().run();
        assertEquals(40, r.iterations());
        assertFalse(r.stopped());
        assertEquals(dir.resolve("api").resolve("iter-00000040.npz"), r.checkpoint());
        assertEquals(strip(cliOut), strip(out.toString(StandardCharsets.UTF_8).replace("/api/", "/cli/")));
        assertSameArrays(dir.resolve("cli").resolve("latest.npz"), dir.resolve("api").resolve("latest.npz"));
    }

    private static String strip(String log) {
        return log.replaceAll(" \\| [0-9,]+ chars/s.*", "");
    }

    @Test
    void aCorpusFromAReaderTrainsAsTheFileAndResumes() throws IOException {
        Path text = Files.writeString(dir.resolve("text.txt"), CharRnnTest.TEXT);
        Training.builder().corpus(text).hiddenSize(10).seqLength(8).maxIterations(30).sampleEvery(0)
                .checkpointDir(dir.resolve("file")).build().run();
        TrainingResult fromReader = Training.builder().corpus(new StringReader(CharRnnTest.TEXT)).hiddenSize(10)
                .seqLength(8).maxIterations(30).sampleEvery(0).checkpointDir(dir.resolve("reader")).build().run();
        assertEquals(CharRnnTest.TEXT, Files.readString(dir.resolve("reader").resolve(Training.STREAMED_CORPUS)));
        assertSameArrays(dir.resolve("file").resolve("latest.npz"), fromReader.checkpoint());
        // the saved run names corpus.txt: it resumes without being given the text again
        TrainingResult resumed = Training.builder().resume("latest").checkpointDir(dir.resolve("reader"))
                .maxIterations(50).build().run();
        assertEquals(50, resumed.iterations());
        Training.builder().resume("latest").checkpointDir(dir.resolve("file")).maxIterations(50).build().run();
        assertSameArrays(dir.resolve("file").resolve("latest.npz"), dir.resolve("reader").resolve("latest.npz"));
    }

    @Test
    void stopFromAnotherThreadSavesACheckpointAndListenersHearEverything() throws Exception {
        Path text = Files.writeString(dir.resolve("text.txt"), CharRnnTest.TEXT);
        AtomicLong iterations = new AtomicLong();
        List<Long> samples = new CopyOnWriteArrayList<>();
        List<Long> validations = new CopyOnWriteArrayList<>();
        Map<Long, Path> checkpoints = new java.util.concurrent.ConcurrentHashMap<>();
        CountDownLatch pastFifty = new CountDownLatch(1);
        Training training = Training.builder().corpus(text).hiddenSize(10).seqLength(8).sampleEvery(25)
                .sampleLength(10).valFraction(0.2).evalEvery(40).checkpointEvery(40)
                .checkpointDir(dir.resolve("ck")).listener(new TrainingListener() {
                    @Override
                    public void onIteration(long iteration, double lossPerChar) {
                        assertEquals(iterations.getAndIncrement(), iteration);
                        assertTrue(lossPerChar > 0 && lossPerChar < 10, "loss per char " + lossPerChar);
                        if (iteration == 50) {
                            pastFifty.countDown();
                        }
                    }

                    @Override
                    public void onSample(long iteration, String sampleText) {
                        assertEquals(10, sampleText.codePointCount(0, sampleText.length()));
                        samples.add(iteration);
                    }

                    @Override
                    public void onValidation(long iteration, double nats) {
                        validations.add(iteration);
                    }

                    @Override
                    public void onCheckpoint(long at, Path file) {
                        checkpoints.put(at, file);
                    }
                }).build();
        CompletableFuture<TrainingResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return training.run();   // no iteration limit: only stop() ends it
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(pastFifty.await(60, TimeUnit.SECONDS));
        training.stop();
        TrainingResult r = run.get(60, TimeUnit.SECONDS);
        assertTrue(r.stopped());
        assertEquals(iterations.get(), r.iterations());
        assertEquals(r.checkpoint(), checkpoints.get(r.iterations()), "the final checkpoint was reported");
        assertEquals(r.iterations(), CharRnn.load(r.checkpoint()).iteration());
        assertEquals(dir.resolve("ck").resolve("iter-00000040.npz"), checkpoints.get(40L));
        assertEquals(0L, samples.get(0));
        assertEquals(25L, samples.get(1));
        assertEquals(0L, validations.get(0));
        assertEquals(40L, validations.get(1));
        assertEquals(r.iterations() - 1, validations.get(validations.size() - 1), "scored at the end too");
        assertTrue(r.validation() > 0);
    }

    @Test
    void stoppedBeforeItsFirstIterationARunSavesNothing() throws IOException {
        // as Ctrl-C while charrnn train sets up: no saved run of 0 iterations is left to block the next start
        Path text = Files.writeString(dir.resolve("text.txt"), CharRnnTest.TEXT);
        Training training = Training.builder().corpus(text).hiddenSize(8).checkpointDir(dir.resolve("ck")).build();
        training.stop();
        TrainingResult r = training.run();
        assertTrue(r.stopped());
        assertEquals(0, r.iterations());
        assertEquals(null, r.checkpoint());
        assertFalse(r.endStateLost());
        assertFalse(Files.exists(dir.resolve("ck").resolve("latest.npz")));
        Training.builder().corpus(text).hiddenSize(8).maxIterations(3).checkpointDir(dir.resolve("ck")).build().run();
    }

    @Test
    void aBuiltRunIgnoresLaterChangesToItsBuilder() throws IOException {
        Path text = Files.writeString(dir.resolve("text.txt"), CharRnnTest.TEXT);
        Training.Builder b = Training.builder().corpus(text).hiddenSize(8).maxIterations(3).sampleEvery(0)
                .checkpointDir(dir.resolve("ck"));
        Training built = b.build();
        b.keep(0).maxIterations(99).hiddenSize(9);   // keep(0) is refused by build(), never seen by the run
        TrainingResult r = built.run();
        assertEquals(3, r.iterations());
        assertEquals(8, CharRnn.load(r.checkpoint()).hiddenSize());
    }

    @Test
    void aStreamedCorpusNeverReplacesTheOneARunWasTrainedOn() throws IOException {
        Path ck = dir.resolve("ck");
        Training.builder().corpus(new StringReader(CharRnnTest.TEXT)).hiddenSize(8).maxIterations(3)
                .sampleEvery(0).checkpointDir(ck).build().run();
        // resuming with another text (refused: not the run's corpus) leaves corpus.txt as it was
        String other = CharRnnTest.TEXT.replace('a', 'e');
        assertThrows(CorpusException.class, () -> Training.builder().resume("latest").corpus(new StringReader(other))
                .checkpointDir(ck).maxIterations(6).build().run());
        assertEquals(CharRnnTest.TEXT, Files.readString(ck.resolve(Training.STREAMED_CORPUS)));
        assertEquals(other, Files.readString(ck.resolve("corpus-1.txt")));
        assertEquals(6, Training.builder().resume("latest").checkpointDir(ck).maxIterations(6).build().run()
                .iterations());
    }

    @Test
    void badSettingsAreRefusedWithTheCommandLinesMessages() throws IOException {
        Path text = Files.writeString(dir.resolve("text.txt"), CharRnnTest.TEXT);
        assertEquals("--hidden-size must be a positive integer, got 0", assertThrows(IllegalArgumentException.class,
                () -> Training.builder().corpus(text).hiddenSize(0).build()).getMessage());
        assertEquals("--dropout must be within [0, 1), got 1.0", assertThrows(IllegalArgumentException.class,
                () -> Training.builder().corpus(text).cell("gru").dropout(1).build()).getMessage());
        assertEquals("--cell must be rnn, lstm or gru, got transformer",
                assertThrows(IllegalArgumentException.class, () -> Training.builder().cell("transformer"))
                        .getMessage());
        assertEquals("--corpus-changed goes with --resume", assertThrows(IllegalArgumentException.class,
                () -> Training.builder().corpus(text).corpusChanged(true).build()).getMessage());
        assertTrue(assertThrows(CorpusException.class, () -> Training.builder().corpus(dir.resolve("none.txt"))
                .checkpointDir(dir.resolve("x")).build().run()).getMessage().endsWith("none.txt: no such file"));
        Training.builder().corpus(text).hiddenSize(8).seqLength(8).maxIterations(5).sampleEvery(0)
                .checkpointDir(dir.resolve("ck")).build().run();
        assertEquals("--hidden-size 9 conflicts with the checkpoint's 8; a resumed run keeps the checkpoint's",
                assertThrows(IllegalArgumentException.class, () -> Training.builder().resume("latest")
                        .checkpointDir(dir.resolve("ck")).hiddenSize(9).build().run()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Training.builder().corpus(text)
                .checkpointDir(dir.resolve("ck")).build().run()).getMessage().endsWith("already holds a saved run: "
                + "continue it with --resume latest, keep it by choosing another --checkpoint-dir, or replace it with "
                + "--overwrite"));
    }
}
