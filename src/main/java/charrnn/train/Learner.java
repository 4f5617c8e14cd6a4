package charrnn.train;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointMeta;
import charrnn.checkpoint.ModelMeta;
import charrnn.corpus.Corpus;
import charrnn.corpus.StreamBatcher;
import charrnn.corpus.Vocabulary;
import charrnn.model.Network;
import charrnn.model.ParamSet;
import charrnn.model.StreamState;
import charrnn.optim.Optimizer;
import charrnn.util.Rng;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * The model side of a training run, which {@link Trainer} drives: the windows of B streams
 * ({@link StreamBatcher}), one {@link TrainingStep} per iteration on the {@link Network} the configuration
 * chooses (min-char-rnn's on the vanilla kernel), the held-out score ({@link Validation}), the samples
 * (from stream 0's state, {@link ModelSamples}) and the checkpoint.
 */
final class Learner implements SampleSource, AutoCloseable {
    private final TrainConfig config;
    private final TrainingStep learner;
    private final StreamBatcher batcher;
    private final int[][] windows;
    private final Rng dropoutRng;              // null when dropout is off
    private final Validation validation; // null: nothing held out
    private final ModelSamples samples;

    Learner(TrainConfig config, Corpus corpus, Vocabulary vocabulary, ParamSet params, Optimizer optimizer,
                   StreamState state, StreamBatcher batcher, Rng dropoutRng) throws IOException {
        if (params.spec().vocabSize() != vocabulary.size() || params.spec().hiddenSize() != config.hiddenSize()) {
            throw new IllegalArgumentException("parameters do not fit hidden size " + config.hiddenSize()
                    + " and vocabulary size " + vocabulary.size());
        }
        int b = config.deep().batchSize();
        this.config = config;
        this.batcher = batcher;
        this.dropoutRng = dropoutRng;
        Network network = Network.create(config.engine(), params, b, config.seqLength(),
                config.deep().dropout(), config.threads());
        this.learner = new TrainingStep(network, optimizer, state, config.clip(), dropoutRng, config.deep().loss());
        this.windows = new int[b][config.seqLength() + 1];
        this.samples = new ModelSamples(config.engine(), params, state, config.threads());
        long limit = config.trainLength(corpus.codePoints());
        try {
            this.validation = limit < corpus.codePoints()
                    ? new Validation(corpus, vocabulary, config.engine(), params, config.seqLength(), limit, b,
                            config.threads())
                    : null;
        } catch (Throwable e) {
            Resources.closeAfter(e, network);   // (the caller closes the batcher it passed)
            throw e;
        }
    }

    public int next() throws IOException {
        if (batcher.next(windows)) {
            learner.state().reset();
        }
        return windows[0][0];
    }

    public double train() {
        return learner.train(windows);
    }

    @Override
    public Callable<int[]> sample(int seed, int length, Rng rng, boolean snapshot) {
        return samples.sample(seed, length, rng, snapshot);
    }

    public void scaleLearningRate(double scale) {
        learner.optimizer().scaleLearningRate(scale);
    }

    public boolean usesBothCores() {
        return learner.network().usesBothCores();
    }

    public boolean validates() {
        return validation != null;
    }

    public double validationLoss() throws IOException {
        return validation.lossPerChar();
    }

    public long position() {
        return batcher.position();
    }

    public long byteOffset() {
        return batcher.byteOffsets()[0];
    }

    public Checkpoint checkpoint(CheckpointMeta meta) {
        var deep = config.deep();
        ModelMeta d = new ModelMeta(deep.cell(), deep.layers(), deep.batchSize(), learner.optimizer().config(),
                learner.optimizer().step(), deep.dropout(), dropoutRng == null ? null : dropoutRng.state(),
                batcher.byteOffsets(), deep.embeddingSize(), deep.loss(), deep.lrDecay());
        return new Checkpoint(learner.params(), learner.optimizer(), learner.state(), meta, d);
    }

    TrainingStep learner() {
        return learner;
    }

    @Override
    public void close() throws IOException {
        if (validation != null) {
            validation.close();
        }
        learner.network().close();
        samples.close();
        batcher.close();
    }
}
