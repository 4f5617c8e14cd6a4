package charrnn.train;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointMeta;
import charrnn.checkpoint.SavedRun;
import charrnn.corpus.Corpus;
import charrnn.corpus.Vocabulary;
import charrnn.corpus.WindowStream;
import charrnn.model.Adagrad;
import charrnn.model.Engine;
import charrnn.model.Gradients;
import charrnn.model.Params;
import charrnn.model.Rng;
import java.io.IOException;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * min-char-rnn's configuration (one rnn layer, one stream, Adagrad, no dropout) on its own engines
 * ({@link Engine}): the path that keeps today's default run bit for bit, and its speed.
 */
final class MinCharLearner implements Learner {
    private final TrainConfig config;
    private final Params params;
    private final Adagrad adagrad;
    private final INDArray hprev;          // (H, 1) hidden state carried into the next window
    private final WindowStream windows;
    private final Engine engine;
    private final Gradients grads;
    private final int[] window;
    private final Validation validation;   // null: nothing held out
    private final MinCharSamples samples;

    MinCharLearner(TrainConfig config, Corpus corpus, Vocabulary vocabulary, Params params, Adagrad adagrad,
                   INDArray hprev, WindowStream windows) throws IOException {
        if (params.vocabSize() != vocabulary.size() || params.hiddenSize() != config.hiddenSize()) {
            throw new IllegalArgumentException("parameters do not fit hidden size " + config.hiddenSize()
                    + " and vocabulary size " + vocabulary.size());
        }
        this.config = config;
        this.params = params;
        this.adagrad = adagrad;
        this.hprev = hprev;
        this.windows = windows;
        this.engine = Engine.create(config.engine(), params, config.seqLength());
        this.grads = new Gradients(params);
        this.window = new int[config.seqLength() + 1];
        this.samples = new MinCharSamples(params, engine, hprev, config.engine());
        long limit = config.trainLength(corpus.codePoints());
        try {
            this.validation = limit < corpus.codePoints() ? new Validation(corpus, vocabulary, config.seqLength(),
                    limit, params.hiddenSize(), params.dataType()) : null;
        } catch (Throwable e) {
            Resources.closeAfter(e, engine);   // (the caller closes the windows it passed)
            throw e;
        }
    }

    @Override
    public int next() throws IOException {
        if (windows.next(window)) {
            hprev.assign(0.0);
        }
        return window[0];
    }

    @Override
    public double train() {
        return engine.train(window, hprev, grads, adagrad, config.clip());
    }

    @Override
    public Callable<int[]> sample(int seed, int length, Rng rng, boolean snapshot) {
        return samples.sample(seed, length, rng, snapshot);
    }

    @Override
    public boolean usesBothCores() {
        return engine.usesBothCores();
    }

    @Override
    public boolean validates() {
        return validation != null;
    }

    @Override
    public double validationLoss() throws IOException {
        return validation.lossPerChar(engine);
    }

    @Override
    public long position() {
        return windows.position();
    }

    @Override
    public long byteOffset() {
        return windows.byteOffset();
    }

    @Override
    public SavedRun checkpoint(CheckpointMeta meta) {
        return new Checkpoint(params, adagrad, hprev, meta);
    }

    Params params() {
        return params;
    }

    Adagrad adagrad() {
        return adagrad;
    }

    INDArray hprev() {
        return hprev;
    }

    @Override
    public void close() throws IOException {
        samples.close();
        engine.close();
        windows.close();
    }
}
