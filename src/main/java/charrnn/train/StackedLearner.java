package charrnn.train;

import charrnn.checkpoint.CheckpointMeta;
import charrnn.checkpoint.DeepCheckpoint;
import charrnn.checkpoint.DeepMeta;
import charrnn.checkpoint.MinCharEncoding;
import charrnn.checkpoint.SavedRun;
import charrnn.corpus.Corpus;
import charrnn.corpus.StreamBatcher;
import charrnn.corpus.Vocabulary;
import charrnn.model.ParamSet;
import charrnn.model.Rng;
import charrnn.model.BatchNetwork;
import charrnn.model.StackedStepper;
import charrnn.model.StreamState;
import charrnn.optim.Optimizer;
import charrnn.sample.Sampler;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every configuration beyond min-char-rnn's: a {@link BatchNetwork} over B streams
 * ({@link StreamBatcher}), an {@link Optimizer}, dropout. Samples come from stream 0's state.
 */
final class StackedLearner implements Learner {
    private final TrainConfig config;
    private final DeepLearner learner;
    private final StreamBatcher batcher;
    private final int[][] windows;
    private final Rng dropoutRng;              // null when dropout is off
    private final StackedValidation validation; // null: nothing held out
    private final StackedStepper stepper;
    private final Sampler sampler;
    private ParamSet copy;                     // samples beside training draw from these copies
    private StackedStepper copyStepper;
    private Sampler copySampler;

    StackedLearner(TrainConfig config, Corpus corpus, Vocabulary vocabulary, ParamSet params, Optimizer optimizer,
                   StreamState state, StreamBatcher batcher, Rng dropoutRng) throws IOException {
        if (params.spec().vocabSize() != vocabulary.size() || params.spec().hiddenSize() != config.hiddenSize()) {
            throw new IllegalArgumentException("parameters do not fit hidden size " + config.hiddenSize()
                    + " and vocabulary size " + vocabulary.size());
        }
        int b = config.deep().batchSize();
        this.config = config;
        this.batcher = batcher;
        this.dropoutRng = dropoutRng;
        BatchNetwork network = BatchNetwork.create(config.engine(), params, b, config.seqLength(),
                config.deep().dropout());
        this.learner = new DeepLearner(network, optimizer, state, config.clip(), dropoutRng, config.deep().loss());
        this.windows = new int[b][config.seqLength() + 1];
        this.stepper = new StackedStepper(config.engine(), params);
        this.sampler = new Sampler(stepper);
        long limit = config.trainLength(corpus.codePoints());
        try {
            this.validation = limit < corpus.codePoints()
                    ? new StackedValidation(corpus, vocabulary, config.engine(), params, config.seqLength(), limit, b)
                    : null;
        } catch (Throwable e) {
            Resources.closeAfter(e, network);   // (the caller closes the batcher it passed)
            throw e;
        }
    }

    /** The dropout masks' random stream of a fresh run: its own, seeded from the run's stream, or none. */
    static Rng dropoutRng(TrainConfig config, Rng rng) {
        return config.deep().dropout() > 0 ? new Rng(rng.nextLong()) : null;
    }

    @Override
    public int next() throws IOException {
        if (batcher.next(windows)) {
            learner.state().reset();
        }
        return windows[0][0];
    }

    @Override
    public double train() {
        return learner.train(windows);
    }

    @Override
    public Callable<int[]> sample(int seed, int length, Rng rng, boolean snapshot) {
        if (!snapshot) {
            stepper.setState(learner.state(), 0);
            return () -> sampler.sample(seed, length, 1.0, rng);
        }
        if (copy == null) {   // beside training: copies of the parameters and of stream 0's state
            copy = learner.params().copy();
            copyStepper = new StackedStepper(config.engine(), copy);
            copySampler = new Sampler(copyStepper);
        }
        List<INDArray> live = learner.params().all();
        List<INDArray> own = copy.all();
        for (int i = 0; i < live.size(); i++) {
            Nd4j.getMemoryManager().memcpy(own.get(i).data(), live.get(i).data());   // same shape and layout
        }
        copyStepper.setState(learner.state(), 0);
        return () -> copySampler.sample(seed, length, 1.0, rng);
    }

    @Override
    public void scaleLearningRate(double scale) {
        learner.optimizer().scaleLearningRate(scale);
    }

    @Override
    public boolean usesBothCores() {
        return learner.network().usesBothCores();
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
    public SavedRun checkpoint(CheckpointMeta meta) {
        var deep = config.deep();
        if (deep.isMinChar()) {   // min-char-rnn's configuration keeps its own file format, version 1
            return MinCharEncoding.encode(learner.params(), learner.optimizer(), learner.state(), meta);
        }
        DeepMeta d = new DeepMeta(deep.cell(), deep.layers(), deep.batchSize(), learner.optimizer().config(),
                learner.optimizer().step(), deep.dropout(), dropoutRng == null ? null : dropoutRng.state(),
                batcher.byteOffsets(), deep.embeddingSize(), deep.loss(), deep.lrDecay());
        return new DeepCheckpoint(learner.params(), learner.optimizer(), learner.state(), meta, d);
    }

    DeepLearner learner() {
        return learner;
    }

    @Override
    public void close() throws IOException {
        if (validation != null) {
            validation.close();
        }
        learner.network().close();
        stepper.close();
        if (copyStepper != null) {
            copyStepper.close();
        }
        batcher.close();
    }
}
