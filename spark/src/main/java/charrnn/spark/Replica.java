package charrnn.spark;

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
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * One worker's round, run in a Spark task: the round's weights, its streams from where they stood, and K
 * iterations of the normal engine ({@link TrainingStep}, as {@code charrnn train} runs them) on the task's
 * cores. It reads its streams' windows from the corpus itself and returns what it ends with; it changes
 * nothing outside, so Spark may run it again (a retried task) with the same result, bit for bit.
 */
final class Replica {
    private Replica() {
    }

    /** What a round of one worker ends with. */
    record Result(Weights weights, Progress progress) implements Serializable {
    }

    static Result run(Job job, Weights weights, Shard shard, int threads) throws IOException {
        long started = System.nanoTime();
        TrainConfig config = job.config();
        Corpus corpus = job.corpus();
        Vocabulary vocabulary = job.modelVocabulary();
        ModelSpec spec = config.spec(vocabulary.size());
        int b = shard.to() - shard.from();
        ParamSet params = weights.params(spec);
        Optimizer optimizer = weights.optimizer(job.optimizer(), spec);
        StreamState state = shard.state().toStreamState(spec);
        Rng dropoutRng = shard.dropoutState() == null ? null : new Rng(shard.dropoutState());
        long part = job.trainLength() / job.batchSize();
        WindowStream[] streams = new WindowStream[b];
        double[] losses = new double[shard.iterations()];
        try {
            for (int s = 0; s < b; s++) {
                streams[s] = WindowStream.resumeAt(corpus, vocabulary, config.seqLength(),
                        job.starts()[shard.from() + s], part, shard.position(), shard.byteOffsets()[s]);
            }
            try (StreamBatcher batcher = StreamBatcher.of(streams);
                 Network network = Network.create(config.engine(), params, b, config.seqLength(),
                         config.deep().dropout(), threads)) {
                TrainingStep step = new TrainingStep(network, optimizer, state, config.clip(), dropoutRng,
                        config.deep().loss());
                int[][] windows = new int[b][config.seqLength() + 1];
                for (int k = 0; k < shard.iterations(); k++) {
                    if (batcher.next(windows)) {
                        state.reset();
                    }
                    if (config.deep().lrDecay() > 0) {
                        optimizer.scaleLearningRate(config.learningRateScale(shard.first() + k, shard.minutes()));
                    }
                    losses[k] = step.train(windows);
                    if (!Double.isFinite(losses[k])) {   // the driver stops the run; the weights are left as they were
                        losses = java.util.Arrays.copyOf(losses, k + 1);
                        break;
                    }
                }
                Weights ended = Weights.of(params, optimizer);
                return new Result(ended, new Progress(shard.worker(), States.of(state), batcher.position(),
                        batcher.byteOffsets(), dropoutRng == null ? null : dropoutRng.state(), losses,
                        System.nanoTime() - started));
            }
        } catch (Exception e) {
            for (WindowStream s : streams) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
            }
            throw e;
        }
    }
}
