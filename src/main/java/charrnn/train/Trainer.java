package charrnn.train;

import charrnn.corpus.Corpus;
import charrnn.corpus.Vocabulary;
import charrnn.corpus.WindowStream;
import charrnn.model.Adagrad;
import charrnn.model.CharRnn;
import charrnn.model.Gradients;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.sample.Sampler;
import java.io.IOException;
import java.io.PrintStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * min-char-rnn's training loop: windows streamed from the corpus, hidden state carried from one window
 * to the next (reset at the start and at each wrap), gradients clipped, Adagrad, and every so often a
 * sample and the smoothed loss.
 */
public final class Trainer implements AutoCloseable {
    private static final double LN2 = Math.log(2);

    private final TrainConfig config;
    private final Corpus corpus;
    private final Vocabulary vocabulary;
    private final Params params;
    private final Rng rng;
    private final CharRnn rnn;
    private final Gradients grads;
    private final Adagrad adagrad;
    private final Sampler sampler;
    private final INDArray hprev;      // (H, 1) hidden state carried into the next window
    private final WindowStream windows;
    private final PrintStream out;

    private long iteration;            // iterations completed
    private double smoothLoss;
    private double lastLoss = Double.NaN;
    private volatile boolean stopRequested;

    /** A fresh run: weights drawn from {@code rng}, Adagrad memory zero, smooth loss −ln(1/V)·T. */
    public Trainer(TrainConfig config, Corpus corpus, Rng rng, PrintStream out) {
        this(config, corpus,
                Params.gaussian(config.hiddenSize(), corpus.vocabulary().size(), config.precision().dataType(), rng),
                rng, out);
    }

    /** A fresh run from the given initial weights. */
    public Trainer(TrainConfig config, Corpus corpus, Params params, Rng rng, PrintStream out) {
        if (params.vocabSize() != corpus.vocabulary().size() || params.hiddenSize() != config.hiddenSize()) {
            throw new IllegalArgumentException("parameters do not fit hidden size " + config.hiddenSize()
                    + " and vocabulary size " + corpus.vocabulary().size());
        }
        corpus.requireWindow(config.seqLength());
        this.config = config;
        this.corpus = corpus;
        this.vocabulary = corpus.vocabulary();
        this.params = params;
        this.rng = rng;
        this.out = out;
        this.rnn = new CharRnn(params, config.seqLength());
        this.grads = new Gradients(params);
        this.adagrad = new Adagrad(params, config.learningRate());
        this.sampler = new Sampler(params);
        this.hprev = Nd4j.zeros(params.dataType(), params.hiddenSize(), 1);
        this.smoothLoss = -Math.log(1.0 / vocabulary.size()) * config.seqLength();
        this.windows = new WindowStream(corpus, config.seqLength());
    }

    /** Trains until {@code maxIterations} iterations are done in total or {@link #requestStop()} is called. */
    public void run() throws IOException {
        int T = config.seqLength();
        int[] window = new int[T + 1];
        long logStart = System.nanoTime();
        long logIteration = iteration;
        while (iteration < config.maxIterations() && !stopRequested) {
            long n = iteration;
            if (windows.next(window)) {
                hprev.assign(0.0);
            }
            if (config.sampleEvery() > 0 && n % config.sampleEvery() == 0) {
                int[] drawn = sampler.sample(hprev, window[0], config.sampleLength(), 1.0, rng);
                out.println("----\n " + vocabulary.decode(drawn) + " \n----");
            }
            double loss = rnn.lossAndGradients(window, hprev, grads);
            lastLoss = loss;
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException(String.format(
                        "the loss became %s at iteration %d; try a smaller --learning-rate or --clip",
                        loss, n));
            }
            grads.clip(config.clip());
            smoothLoss = smoothLoss * 0.999 + loss * 0.001;
            adagrad.update(params, grads);
            iteration++;
            if (config.logEvery() > 0 && n % config.logEvery() == 0) {
                long now = System.nanoTime();
                double charsPerSecond = (iteration - logIteration) * (double) T / ((now - logStart) * 1e-9);
                logStart = now;
                logIteration = iteration;
                out.println(logLine(n, charsPerSecond));
            }
        }
        if (config.logEvery() > 0 && iteration > logIteration) {
            // the last iterations since the last line: say where the run ended
            double seconds = (System.nanoTime() - logStart) * 1e-9;
            out.println(logLine(iteration - 1, (iteration - logIteration) * (double) T / seconds));
        }
    }

    /** {@code iter N, loss: X} as min-char-rnn prints it, then the loss per character and the speed. */
    private String logLine(long n, double charsPerSecond) {
        double nats = smoothLoss / config.seqLength();
        return String.format("iter %d, loss: %f | %.4f nats/char, %.4f bits/char | %,.0f chars/s",
                n, smoothLoss, nats, nats / LN2, charsPerSecond);
    }

    /** Asks the loop to stop after the iteration in progress (safe from another thread). */
    public void requestStop() {
        stopRequested = true;
    }

    public long iteration() {
        return iteration;
    }

    /** The loss of the last window trained on (nats, summed over its T characters). */
    public double lastLoss() {
        return lastLoss;
    }

    /** Code-point index of the next window's first character, before the wrap rule. */
    public long position() {
        return windows.position();
    }

    @Override
    public void close() throws IOException {
        windows.close();
    }

    public double smoothLoss() {
        return smoothLoss;
    }

    public Params params() {
        return params;
    }

    public Adagrad adagrad() {
        return adagrad;
    }

    public INDArray hprev() {
        return hprev;
    }
}
