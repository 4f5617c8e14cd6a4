package charrnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import charrnn.api.Training;
import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointFile;
import charrnn.corpus.Corpus;
import charrnn.corpus.StreamBatcher;
import charrnn.corpus.Vocabulary;
import charrnn.corpus.WindowStream;
import charrnn.model.ModelSpec;
import charrnn.model.Network;
import charrnn.model.ParamSet;
import charrnn.model.StreamState;
import charrnn.optim.Optimizer;
import charrnn.train.TrainConfig;
import charrnn.train.TrainingStep;
import charrnn.util.Rng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Two workers on Spark against the same averaging written plainly for this test, with no Spark: two
 * replicas on charrnn's own parts, each K iterations on its half of the streams, then the parameters and
 * the optimizer's state averaged as (a + b) / 2 in the model's precision, Adam's v with its increment over
 * the round divided by W ({@link SecondMoment#RESCALED}, the default). Equal bits mean that Spark carried
 * the weights, states, places and dropout streams between the rounds exactly as intended.
 */
class InProcessAveragingTest {
    @TempDir
    Path dir;

    private static final int WORKERS = 2;
    private static final int K = 4;   // 30 iterations: seven rounds of 4 and a last one of 2

    private static final UnaryOperator<Training.Builder> SETTINGS = b -> b.cell("lstm").layers(2).hiddenSize(16)
            .seqLength(10).batchSize(6).dropout(0.2).maxIterations(30).logEvery(0).checkpointEvery(0);

    @Test
    void twoWorkersOnSparkAverageAsTwoReplicasInProcess() throws IOException {
        Path file = Runs.corpus(dir, 20_000);
        Runs.Run spark = Runs.spark(Runs.conf("local[2]"), SETTINGS, file, WORKERS, K, dir.resolve("spark"));
        Checkpoint saved = CheckpointFile.read(spark.checkpoint());

        TrainConfig config = SETTINGS.apply(Training.builder()).config();
        Corpus corpus = Corpus.scan(file);
        Vocabulary vocabulary = corpus.vocabulary();
        ModelSpec spec = config.spec(vocabulary.size());
        int b = config.deep().batchSize();
        int per = b / WORKERS;
        int t = config.seqLength();
        Rng rng = new Rng(config.seed());
        ParamSet params = ParamSet.init(spec, rng);
        Rng dropout = config.dropoutRng(rng);
        Optimizer optimizer = Optimizer.create(config.optimizer(), params);
        long limit = config.trainLength(corpus.codePoints());
        long[] starts = StreamBatcher.startOffsets(corpus, t, limit, b);
        long[] offsets = starts.clone();
        long position = 0;
        StreamState state = StreamState.zeros(spec, b);
        double smoothLoss = -Math.log(1.0 / vocabulary.size()) * t;

        for (long first = 0; first < config.maxIterations(); first += K) {
            int k = (int) Math.min(K, config.maxIterations() - first);
            ParamSet[] p = new ParamSet[WORKERS];
            Optimizer[] o = new Optimizer[WORKERS];
            StreamState[] s = new StreamState[WORKERS];
            Rng[] d = new Rng[WORKERS];
            double[][] losses = new double[WORKERS][k];
            long[] positions = new long[WORKERS];
            for (int w = 0; w < WORKERS; w++) {
                p[w] = params.copy();
                Map<String, ParamSet> slots = new LinkedHashMap<>();
                optimizer.state().forEach((slot, arrays) -> slots.put(slot, arrays.copy()));
                o[w] = Optimizer.restore(config.optimizer(), slots, optimizer.step());
                s[w] = StreamState.zeros(spec, per);
                for (int i = 0; i < per; i++) {
                    s[w].copyStream(state, w * per + i, i);
                }
                // worker 0 continues the run's dropout stream; worker w > 0 draws from one seeded by its state
                d[w] = w == 0 ? new Rng(dropout.state())
                        : new Rng(new Rng(dropout.state() ^ (w * 0xD1B54A32D192ED03L)).nextLong());
                WindowStream[] streams = new WindowStream[per];
                for (int i = 0; i < per; i++) {
                    int stream = w * per + i;
                    streams[i] = WindowStream.resumeAt(corpus, vocabulary, t, starts[stream], limit / b, position,
                            offsets[stream]);
                }
                try (StreamBatcher batcher = StreamBatcher.of(streams);
                     Network network = Network.create(config.engine(), p[w], per, t, config.deep().dropout(), 1)) {
                    TrainingStep step = new TrainingStep(network, o[w], s[w], config.clip(), d[w],
                            config.deep().loss());
                    int[][] windows = new int[per][t + 1];
                    for (int j = 0; j < k; j++) {
                        if (batcher.next(windows)) {
                            s[w].reset();
                        }
                        o[w].scaleLearningRate(config.learningRateScale(first + j, 0));
                        losses[w][j] = step.train(windows);
                    }
                    positions[w] = batcher.position();
                    System.arraycopy(batcher.byteOffsets(), 0, offsets, w * per, per);
                }
            }
            params = mean(spec, p[0], p[1]);
            Map<String, ParamSet> slots = new LinkedHashMap<>();
            for (String slot : optimizer.state().keySet()) {
                slots.put(slot, mean(spec, o[0].state().get(slot), o[1].state().get(slot)));
            }
            // Adam's v: the round's start decayed K times, plus the workers' mean increment divided by W
            slots.put("v", rescaled(spec, optimizer.state().get("v"), slots.get("v"), Math.pow(0.999, k)));
            optimizer = Optimizer.restore(config.optimizer(), slots, o[0].step());
            for (int w = 0; w < WORKERS; w++) {
                for (int i = 0; i < per; i++) {
                    state.copyStream(s[w], i, w * per + i);
                }
            }
            assertEquals(positions[0], positions[1]);
            position = positions[0];
            dropout = d[0];
            for (int j = 0; j < k; j++) {
                smoothLoss = smoothLoss * 0.999 + (losses[0][j] + losses[1][j]) / 2 * 0.001;
            }
        }

        Runs.assertSameArrays("parameter", params, saved.params());
        for (String slot : optimizer.state().keySet()) {
            Runs.assertSameArrays(slot, optimizer.state().get(slot), saved.optimizer().state().get(slot));
        }
        assertEquals(optimizer.step(), saved.optimizer().step());
        for (int l = 0; l < state.h.length; l++) {
            Runs.assertSameValues("h" + l, Block.of(state.h[l]), Block.of(saved.state().h[l]));
            Runs.assertSameValues("c" + l, Block.of(state.c[l]), Block.of(saved.state().c[l]));
        }
        assertEquals(Double.doubleToLongBits(smoothLoss), Double.doubleToLongBits(saved.meta().smoothLoss()),
                smoothLoss + " vs " + saved.meta().smoothLoss());
        assertEquals(dropout.state(), saved.deep().dropoutRngState());
        assertEquals(position, saved.meta().corpus().position());
        assertArrayEquals(offsets, saved.deep().byteOffsets());
        assertEquals(rng.state(), saved.meta().rngState());
    }

    /** β2^K·v0 + (v̄ − β2^K·v0) / 2 of every array, in float64, stored in float32. */
    private static ParamSet rescaled(ModelSpec spec, ParamSet start, ParamSet mean, double decay) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String name : mean.names()) {
            float[] v0 = start.get(name).dup('c').data().asFloat();
            float[] vBar = mean.get(name).dup('c').data().asFloat();
            float[] v = new float[v0.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (decay * v0[i] + Math.max(0, vBar[i] - decay * v0[i]) / WORKERS);
            }
            m.put(name, Nd4j.create(v, mean.get(name).shape(), 'c'));
        }
        return ParamSet.of(spec, m);
    }

    /** (a + b) / 2 of every array, elementwise in float32 (the model's precision here). */
    private static ParamSet mean(ModelSpec spec, ParamSet a, ParamSet b) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String name : a.names()) {
            INDArray x = a.get(name);
            float[] u = x.dup('c').data().asFloat();
            float[] v = b.get(name).dup('c').data().asFloat();
            float[] mean = new float[u.length];
            for (int i = 0; i < u.length; i++) {
                mean[i] = (u[i] + v[i]) / 2;
            }
            m.put(name, Nd4j.create(mean, x.shape(), 'c'));
        }
        return ParamSet.of(spec, m);
    }
}
