package charrnn.train;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointMeta;
import charrnn.checkpoint.ModelMeta;
import charrnn.corpus.StreamBatcher;
import charrnn.model.Network;
import charrnn.util.Rng;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * A run's iterations on this machine, which {@link Trainer} drives: the windows of B streams
 * ({@link StreamBatcher}), one {@link TrainingStep} per iteration on the {@link Network} the configuration
 * chooses (min-char-rnn's on the vanilla kernel), the held-out score ({@link Validation}), the samples
 * (from stream 0's state, {@link ModelSamples}) and the checkpoint.
 */
final class LocalSteps implements StepSource, SampleSource {
    private final TrainConfig config;
    private final TrainingStep step;
    private final StreamBatcher batcher;
    private final int[][] windows;
    private final double[] loss = new double[1];   // train's result, the same array every iteration
    private final Rng dropoutRng;        // null when dropout is off
    private final Validation validation; // null: nothing held out
    private final ModelSamples samples;

    LocalSteps(RunStart start) throws IOException {
        TrainConfig config = start.config();
        var corpus = start.corpus();
        var vocabulary = start.vocabulary();
        var params = start.params();
        if (params.spec().vocabSize() != vocabulary.size() || params.spec().hiddenSize() != config.hiddenSize()) {
            throw new IllegalArgumentException("parameters do not fit hidden size " + config.hiddenSize()
                    + " and vocabulary size " + vocabulary.size());
        }
        int b = config.deep().batchSize();
        long limit = config.trainLength(corpus.codePoints());
        this.config = config;
        this.batcher = start.byteOffsets() != null
                ? StreamBatcher.resumeAt(corpus, vocabulary, config.seqLength(), limit, b, start.position(),
                        start.byteOffsets())
                : StreamBatcher.create(corpus, vocabulary, config.seqLength(), limit, b);
        this.dropoutRng = start.dropoutRng();
        Network network = null;
        try {
            network = Network.create(config.engine(), params, b, config.seqLength(), config.deep().dropout(),
                    config.threads());
            this.step = new TrainingStep(network, start.optimizer(), start.state(), config.clip(), dropoutRng,
                    config.deep().loss());
            this.windows = new int[b][config.seqLength() + 1];
            this.samples = new ModelSamples(config.engine(), params, start.state(), config.threads());
            this.validation = limit < corpus.codePoints()
                    ? new Validation(corpus, vocabulary, config.engine(), params, config.seqLength(), limit, b,
                            config.threads())
                    : null;
        } catch (Throwable e) {
            Resources.closeAfter(e, network, batcher);
            throw e;
        }
    }

    @Override
    public int roundLength() {
        return 1;
    }

    @Override
    public int next() throws IOException {
        if (batcher.next(windows)) {
            step.state().reset();
        }
        return windows[0][0];
    }

    /** The iteration on the windows {@link #next} read ({@code k} is 1). */
    @Override
    public double[] train(long first, int k, double minutes) {
        if (config.deep().lrDecay() > 0) {
            step.optimizer().scaleLearningRate(config.learningRateScale(first, minutes));
        }
        loss[0] = step.train(windows);
        return loss;
    }

    @Override
    public SampleSource samples() {
        return this;
    }

    @Override
    public Callable<int[]> sample(int seed, int length, Rng rng, boolean snapshot) {
        return samples.sample(seed, length, rng, snapshot);
    }

    @Override
    public boolean usesBothCores() {
        return step.network().usesBothCores();
    }

    @Override
    public boolean validates() {
        return validation != null;
    }

    @Override
    public double validationLoss() throws IOException {
        return validation.lossPerChar();
    }

    @Override
    public long position() {
        return batcher.position();
    }

    @Override
    public long byteOffset() {
        return batcher.byteOffsets()[0];
    }

    @Override
    public Checkpoint checkpoint(CheckpointMeta meta) {
        ModelMeta d = config.modelMeta(step.optimizer().config(), step.optimizer().step(),
                dropoutRng == null ? null : dropoutRng.state(), batcher.byteOffsets());
        return new Checkpoint(step.params(), step.optimizer(), step.state(), meta, d);
    }

    TrainingStep step() {
        return step;
    }

    @Override
    public void close() throws IOException {
        if (validation != null) {
            validation.close();
        }
        step.network().close();
        samples.close();
        batcher.close();
    }
}
