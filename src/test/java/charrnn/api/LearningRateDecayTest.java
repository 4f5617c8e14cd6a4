package charrnn.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.checkpoint.CheckpointFile;
import charrnn.checkpoint.Checkpoint;
import charrnn.model.CellType;
import charrnn.model.Engine;
import charrnn.model.Precision;
import charrnn.optim.LossNormalization;
import charrnn.optim.OptimizerConfig;
import charrnn.testing.Exact;
import charrnn.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --lr-decay: the schedule's factor, and a run stopped in the decay and resumed is the whole run bit for bit. */
class LearningRateDecayTest {
    static final int TOTAL = 40;

    @TempDir
    Path dir;

    private static TrainConfig config(long maxIterations, double maxMinutes, double decay) {
        var deep = new TrainConfig.DeepOptions(CellType.LSTM, 1, 2, OptimizerConfig.Kind.ADAM, 0, 4,
                LossNormalization.MEAN, decay);
        return new TrainConfig(8, 5, 0.002, 5, 0, 10, 0, maxIterations, 1, Precision.FLOAT, Engine.FAST, 0,
                100, deep, maxMinutes);
    }

    @Test
    void theFactorIsOneUntilTheLastFractionThenFallsLinearlyToZero() {
        TrainConfig byIterations = config(100, Double.POSITIVE_INFINITY, 0.2);
        for (int n = 0; n < 80; n++) {
            assertEquals(1.0, byIterations.learningRateScale(n, 0), "iteration " + n);   // exactly: same bits
        }
        assertEquals(0.5, byIterations.learningRateScale(90, 0), 1e-12);
        assertEquals(0.05, byIterations.learningRateScale(99, 0), 1e-12);
        TrainConfig byMinutes = config(TrainConfig.UNLIMITED, 10, 0.2);
        assertEquals(1.0, byMinutes.learningRateScale(1_000_000, 7.9));
        assertEquals(0.5, byMinutes.learningRateScale(1_000_000, 9), 1e-12);
        assertEquals(0.0, byMinutes.learningRateScale(1_000_000, 11));
        TrainConfig both = config(100, 10, 0.5);   // whichever ends first
        assertEquals(0.5, both.learningRateScale(75, 1), 1e-12);
        assertEquals(0.5, both.learningRateScale(10, 7.5), 1e-12);
        assertEquals(1.0, config(100, Double.POSITIVE_INFINITY, 0).learningRateScale(99, 0));
        assertThrows(IllegalArgumentException.class, () -> config(TrainConfig.UNLIMITED, Double.POSITIVE_INFINITY,
                0.2));
    }

    private Training.Builder run(Path text, Path checkpoints, double decay) {
        return Training.builder().corpus(text).cell("lstm").hiddenSize(8).batchSize(2).seqLength(5).seed(3)
                .lrDecay(decay).maxIterations(TOTAL).sampleEvery(0).logEvery(0).checkpointDir(checkpoints);
    }

    @Test
    void aRunStoppedInTheDecayAndResumedIsTheWholeRunBitForBit() throws IOException {
        Path text = Files.writeString(dir.resolve("text.txt"), CharRnnTest.TEXT);
        run(text, dir.resolve("whole"), 0.5).build().run();
        Training[] self = {null};
        self[0] = run(text, dir.resolve("split"), 0.5).listener(new TrainingListener() {
            @Override
            public void onIteration(long iteration, double lossPerChar) {
                if (iteration == 29) {
                    self[0].stop();   // in the decay: iterations 20..39
                }
            }
        }).build();
        TrainingResult stopped = self[0].run();
        assertTrue(stopped.stopped());
        assertEquals(30, stopped.iterations());
        TrainingResult resumed = Training.builder().resume("latest").checkpointDir(dir.resolve("split"))
                .maxIterations(TOTAL).sampleEvery(0).logEvery(0).build().run();
        assertEquals(TOTAL, resumed.iterations());
        run(text, dir.resolve("constant"), 0).build().run();

        Checkpoint whole = (Checkpoint) CheckpointFile.read(dir.resolve("whole/latest.npz"));
        Checkpoint split = (Checkpoint) CheckpointFile.read(dir.resolve("split/latest.npz"));
        Checkpoint constant = (Checkpoint) CheckpointFile.read(dir.resolve("constant/latest.npz"));
        assertEquals(0.5, split.deep().lrDecay());
        assertEquals(TOTAL, split.meta().iteration());
        boolean anyDiffers = false;
        for (String name : whole.params().names()) {
            assertArrayEquals(Exact.raw(whole.params().get(name)), Exact.raw(split.params().get(name)), name);
            for (String slot : whole.optimizer().state().keySet()) {
                assertArrayEquals(Exact.raw(whole.optimizer().state().get(slot).get(name)),
                        Exact.raw(split.optimizer().state().get(slot).get(name)), slot + "." + name);
            }
            anyDiffers |= !java.util.Arrays.equals(Exact.raw(whole.params().get(name)),
                    Exact.raw(constant.params().get(name)));
        }
        assertTrue(anyDiffers, "the decay changed the parameters");
        assertEquals(whole.meta().smoothLoss(), split.meta().smoothLoss());
        assertTrue(whole.params().names().contains("emb"), "lstm defaults to an embedding");
    }

    @Test
    void lstmAndGruDecayOverTheLastThirtyPercentOfARunThatHasAnEnd() throws IOException {
        Path text = Files.writeString(dir.resolve("text.txt"), CharRnnTest.TEXT);
        for (String cell : new String[] {"lstm", "gru", "rnn"}) {
            Path ends = dir.resolve(cell + "-ends");
            Training.builder().corpus(text).cell(cell).layers(2).hiddenSize(8).seqLength(5).maxIterations(3)
                    .sampleEvery(0).logEvery(0).checkpointDir(ends).build().run();
            assertEquals(cell.equals("rnn") ? 0.0 : 0.3,
                    ((Checkpoint) CheckpointFile.read(ends.resolve("latest.npz"))).deep().lrDecay(), cell);
        }
        Training[] endless = {null};
        endless[0] = Training.builder().corpus(text).cell("lstm").hiddenSize(8).seqLength(5).sampleEvery(0)
                .logEvery(0).checkpointDir(dir.resolve("endless")).listener(new TrainingListener() {
                    @Override
                    public void onIteration(long iteration, double lossPerChar) {
                        endless[0].stop();
                    }
                }).build();
        endless[0].run();
        assertEquals(0.0, ((Checkpoint) CheckpointFile.read(dir.resolve("endless/latest.npz"))).deep().lrDecay(),
                "a run without an end keeps its learning rate");
    }
}
