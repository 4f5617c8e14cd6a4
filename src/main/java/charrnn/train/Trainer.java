package charrnn.train;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointDir;
import charrnn.checkpoint.CheckpointMeta;
import charrnn.checkpoint.ModelMeta;
import charrnn.corpus.Corpus;
import charrnn.corpus.StreamBatcher;
import charrnn.corpus.Vocabulary;
import charrnn.metrics.LossPlot;
import charrnn.metrics.MetricsLog;
import charrnn.model.ParamSet;
import charrnn.model.StreamState;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import charrnn.util.Profile;
import charrnn.util.Rng;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * min-char-rnn's training loop: windows streamed from the corpus, hidden state carried from one window
 * to the next (reset at the start and at each wrap), gradients clipped, Adagrad, and every so often a
 * sample, the smoothed loss and a checkpoint.
 */
public final class Trainer implements AutoCloseable {
    private static final double LN2 = Math.log(2);

    private final TrainConfig config;
    private final Corpus corpus;
    private final Vocabulary vocabulary;   // the model's: indices of the corpus's characters
    private final Learner learner;
    private final Rng rng;
    private final PrintStream out;
    private final Samples samples;         // draws and prints the samples; every line of output goes through it

    private long iteration;                // iterations completed
    private double smoothLoss;
    private double lastLoss = Double.NaN;
    private volatile boolean stopRequested;
    private double lastValidation = Double.NaN;

    private CheckpointDir checkpoints;     // null: no checkpoints
    private int checkpointEvery;
    private PrintStream err;
    private String corpusFingerprint;      // computed at the first checkpoint
    private boolean endStateLost;          // the run's last checkpoint could not be written
    private TrainListener listener = new TrainListener() { };
    private Path lastSaved;                // the run's final checkpoint, once written
    private MetricsLog metrics;            // null: not recorded
    private Path plot;
    private long plotDrawn;
    private long runStart;
    private long runStartIteration;
    private long logStart;
    private long logIteration;
    private long validationNanos;          // time spent scoring held-out text in this session
    static final int PLOT_SECONDS = 10;

    private Trainer(TrainConfig config, Corpus corpus, Vocabulary vocabulary, Learner learner, long iteration,
                    double smoothLoss, Rng rng, PrintStream out) {
        this.config = config;
        this.corpus = corpus;
        this.vocabulary = vocabulary;
        this.learner = learner;
        this.iteration = iteration;
        this.smoothLoss = smoothLoss;
        this.rng = rng;
        this.out = out;
        this.err = out;
        boolean spareCore = !learner.usesBothCores() && Runtime.getRuntime().availableProcessors() > 1;
        this.samples = new Samples(out, vocabulary, rng, config.sampleLength(), learner,
                spareCore && config.sampleEvery() > 0);
    }

    /** A fresh run: weights drawn from {@code rng} (min-char-rnn's init for rnn, see {@link ParamSet#init}). */
    public static Trainer start(TrainConfig config, Corpus corpus, Rng rng, PrintStream out) throws IOException {
        return start(config, corpus, ParamSet.init(config.spec(corpus.vocabulary().size()), rng),
                config.optimizer(), corpus.vocabulary(), rng, out);
    }

    /**
     * A fresh run from the given weights: position 0, every stream's state and the
     * optimizer's state zero, smooth loss −ln(1/V)·T; the dropout masks' stream seeded from {@code rng}.
     */
    public static Trainer start(TrainConfig config, Corpus corpus, ParamSet params, OptimizerConfig optimizer,
                                Vocabulary vocabulary, Rng rng, PrintStream out) throws IOException {
        Rng dropoutRng = config.dropoutRng(rng);
        StreamBatcher batcher = StreamBatcher.create(corpus, vocabulary, config.seqLength(),
                config.trainLength(corpus.codePoints()), config.deep().batchSize());
        Learner learner;
        try {
            learner = new Learner(config, corpus, vocabulary, params, Optimizer.create(optimizer, params),
                    StreamState.zeros(params.spec(), config.deep().batchSize()), batcher, dropoutRng);
        } catch (Throwable e) {
            Resources.closeAfter(e, batcher);
            throw e;
        }
        return create(config, corpus, vocabulary, learner, 0, initialSmoothLoss(config, vocabulary), rng, out);
    }

    /** A saved optimizer's constants with this run's learning rate. */
    public static OptimizerConfig withLearningRate(OptimizerConfig saved, double learningRate) {
        return new OptimizerConfig(saved.kind(), learningRate, saved.alpha(), saved.beta1(), saved.beta2(),
                saved.epsilon());
    }

    private static double initialSmoothLoss(TrainConfig config, Vocabulary vocabulary) {
        return -Math.log(1.0 / vocabulary.size()) * config.seqLength();
    }

    /**
     * Continues a saved run: its parameters, optimizer state, iteration count and smooth loss; with
     * {@code atSavedPosition}, also its carried state and place in the corpus (exact resume), else from
     * the corpus's start with the state reset.
     */
    public static Trainer resume(TrainConfig config, Corpus corpus, Checkpoint saved, boolean atSavedPosition,
                                 Rng rng, PrintStream out) throws IOException {
        CheckpointMeta meta = saved.meta();
        Vocabulary vocabulary = Vocabulary.ofStrings(meta.vocab());
        long limit = config.trainLength(corpus.codePoints());
        ModelMeta deep = saved.deep();
        int b = config.deep().batchSize();
        StreamBatcher batcher = atSavedPosition && deep.byteOffsets() != null
                ? StreamBatcher.resumeAt(corpus, vocabulary, config.seqLength(), limit, b, meta.corpus().position(),
                        deep.byteOffsets())
                : StreamBatcher.create(corpus, vocabulary, config.seqLength(), limit, b);
        if (!atSavedPosition) {
            saved.state().reset();
        }
        Optimizer optimizer = Optimizer.restore(withLearningRate(deep.optimizer(), config.learningRate()),
                saved.optimizer().state(), saved.optimizer().step());
        Long dropoutState = deep.dropoutRngState();
        Rng dropoutRng = config.deep().dropout() == 0 ? null
                : dropoutState != null ? new Rng(dropoutState) : new Rng(config.seed());
        Learner learner;
        try {
            learner = new Learner(config, corpus, vocabulary, saved.params(), optimizer, saved.state(), batcher,
                    dropoutRng);
        } catch (Throwable e) {
            Resources.closeAfter(e, batcher);
            throw e;
        }
        return create(config, corpus, vocabulary, learner, meta.iteration(), meta.smoothLoss(), rng, out);
    }

    /** The trainer around {@code learner}, which is closed if that fails. */
    private static Trainer create(TrainConfig config, Corpus corpus, Vocabulary vocabulary, Learner learner,
                                  long iteration, double smoothLoss, Rng rng, PrintStream out) {
        try {
            return new Trainer(config, corpus, vocabulary, learner, iteration, smoothLoss, rng, out);
        } catch (Throwable e) {
            Resources.closeAfter(e, learner::close);
            throw e;
        }
    }

    /** Reports iterations, samples, validation losses and checkpoints to {@code listener} as they happen. */
    public void listen(TrainListener listener) {
        this.listener = listener;
        samples.listener = listener;
    }

    /** Saves a checkpoint every {@code every} iterations (0: only at the end) and when the run ends. */
    public void saveCheckpoints(CheckpointDir dir, int every, PrintStream errors) {
        this.checkpoints = dir;
        this.checkpointEvery = every;
        this.err = errors;
    }

    /**
     * Records every logged iteration and every sample in {@code log}, and redraws the loss plot
     * {@code plot} after each checkpoint (at most every {@link #PLOT_SECONDS} seconds) and at the end.
     */
    public void record(MetricsLog log, Path plot) {
        this.metrics = log;
        this.plot = plot;
        samples.record(log);
    }

    /**
     * Trains until {@code maxIterations} iterations are done in total or {@link #requestStop()} is called,
     * then saves a checkpoint if checkpoints are on.
     */
    public void run() throws IOException {
        runStart = System.nanoTime();
        runStartIteration = iteration;
        logStart = runStart;
        logIteration = iteration;
        long evaluated = -1;
        Profile.start();
        long deadline = Double.isInfinite(config.maxMinutes()) ? Long.MAX_VALUE
                : runStart + (long) (config.maxMinutes() * 60e9);
        while (iteration < config.maxIterations() && !stopRequested && !pastDeadline(deadline)) {
            Profile.charge(Profile.Phase.OTHER);
            samples.awaitIfDue(iteration);
            Profile.charge(Profile.Phase.SAMPLING);
            step();
            long n = iteration - 1;
            boolean log = config.logEvery() > 0 && n % config.logEvery() == 0;
            boolean evaluate = learner.validates() && n % config.evalEvery() == 0;
            if (log || evaluate) {
                report(n, log, evaluate);
                evaluated = evaluate ? n : evaluated;
            }
            if (checkpoints != null && checkpointEvery > 0 && iteration % checkpointEvery == 0) {
                saveInBackground();
            }
        }
        samples.await();
        if (iteration > logIteration || (learner.validates() && evaluated != iteration - 1 && iteration > 0)) {
            // the iterations since the last line: say where the run ended
            report(iteration - 1, config.logEvery() > 0, learner.validates());
        }
        Profile.charge(Profile.Phase.OTHER);
        if (Profile.ENABLED) {
            err.print(Profile.report());
        }
        if (metrics != null) {
            metrics.flush();   // now: on Ctrl-C the JVM ends soon after this method returns
        }
        if (checkpoints != null && iteration == runStartIteration) {
            // stopped before its first iteration (Ctrl-C while it set up): nothing new to save, and a fresh
            // run must not leave a saved run of 0 iterations behind
            out.printf("stopped at iteration %d; nothing to save%n", iteration);
        } else if (checkpoints != null) {
            checkpoints.awaitWrites();
            Path saved = checkpoints.completed() == iteration ? checkpoints.fileFor(iteration) : saveAtEnd();
            lastSaved = saved;
            if (saved != null) {
                out.printf("%s at iteration %d; saved %s%n", stopRequested ? "stopped" : "done", iteration, saved);
            }
        }
        if (!stopRequested) {
            drawPlot(true);   // (not during a JVM shutdown, where AWT cannot start; the plot of the last
        }                     // checkpoint stays)
    }

    /** Whether --max-minutes of training (validation passes not counted) are over. */
    private boolean pastDeadline(long deadline) {
        return deadline != Long.MAX_VALUE && System.nanoTime() - validationNanos > deadline;
    }

    /** Prints the log line and the validation loss as asked, and records them in the metrics log. */
    private void report(long n, boolean log, boolean evaluate) throws IOException {
        long now = System.nanoTime();
        double charsPerSecond = (iteration - logIteration) * (double) config.seqLength() * config.deep().batchSize()
                / ((now - logStart) * 1e-9);
        double elapsed = elapsedBefore() + (now - runStart - validationNanos) * 1e-9;   // training time
        if (log) {
            samples.println(logLine(n, charsPerSecond, elapsed));
        }
        double val = Double.NaN;
        if (evaluate) {
            Profile.begin();
            long scoring = System.nanoTime();
            val = learner.validationLoss();
            validationNanos += System.nanoTime() - scoring;
            Profile.end(Profile.Phase.VALIDATION);
            samples.println(validationLine(val));
            lastValidation = val;
            listener.onValidation(n, val);
        }
        if (metrics != null) {
            metrics.row(n, smoothLoss / config.seqLength(), lastLoss / config.seqLength(), val, charsPerSecond,
                    elapsed);
        }
        logStart = System.nanoTime();   // the validation pass is not training time
        logIteration = iteration;
    }

    private double elapsedBefore() {
        return metrics == null ? 0 : metrics.elapsedBefore();
    }

    /** Redraws the loss plot, unless it was drawn less than PLOT_SECONDS ago and this is not the last time. */
    private void drawPlot(boolean last) {
        if (plot == null || metrics == null || !metrics.hasRows()) {
            return;   // (--log-every 0 without held-out text: nothing to draw)
        }
        long now = System.nanoTime();
        if (!last && now - plotDrawn < PLOT_SECONDS * 1_000_000_000L) {
            return;
        }
        plotDrawn = now;
        try {
            metrics.flush();
            LossPlot.draw(metrics.metricsFile(), plot);
        } catch (IOException | RuntimeException e) {
            err.println("charrnn: could not draw " + plot + ": " + e.getMessage() + "; training goes on");
        }
    }

    /** One iteration: the next window, a sample when due, loss and gradients, clipping, Adagrad. */
    private void step() throws IOException {
        long n = iteration;
        int first = learner.next();
        if (config.sampleEvery() > 0 && n % config.sampleEvery() == 0) {
            Profile.charge(Profile.Phase.OTHER);
            samples.start(n, smoothLoss, first);
            Profile.charge(Profile.Phase.SAMPLING);
        }
        if (config.deep().lrDecay() > 0) {
            learner.scaleLearningRate(config.learningRateScale(n,
                    (System.nanoTime() - runStart - validationNanos) / 60e9));
        }
        double loss = learner.train();
        lastLoss = loss;
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(String.format(
                    "the loss became %s at iteration %d; try a smaller --learning-rate or --clip", loss, n));
        }
        smoothLoss = smoothLoss * 0.999 + loss * 0.001;
        iteration++;
        listener.onIteration(n, loss / config.seqLength());
        Profile.countIteration();
    }

    /**
     * {@code iter N, loss: X} as min-char-rnn prints it, then the loss per character, the speed, the time
     * spent training and, when the run has a length, how far along it is and when it will end.
     */
    private String logLine(long n, double charsPerSecond, double elapsed) {
        String line = lossLine(n, smoothLoss, config.seqLength(), charsPerSecond, elapsed);
        if (config.maxIterations() != TrainConfig.UNLIMITED) {
            line += String.format(" | %.1f%%", 100.0 * iteration / config.maxIterations());
            if (iteration - runStartIteration > 1) {   // the first iteration's time is mostly warm-up
                double secondsPerIteration = (System.nanoTime() - runStart) * 1e-9 / (iteration - runStartIteration);
                line += ", ETA " + duration((config.maxIterations() - iteration) * secondsPerIteration);
            }
        }
        return line;
    }

    /**
     * {@code iter N, loss: X | nats/char, bits/char | chars/s | h:mm:ss}: the log line's part that every
     * training loop prints (charrnn-spark's too).
     */
    public static String lossLine(long n, double smoothLoss, int seqLength, double charsPerSecond, double elapsed) {
        double nats = smoothLoss / seqLength;
        return String.format("iter %d, loss: %f | %.4f nats/char, %.4f bits/char | %,.0f chars/s | %s",
                n, smoothLoss, nats, nats / LN2, charsPerSecond, duration(elapsed));
    }

    /** {@code val loss X nats/char (Y bits/char)}: the held-out line that every training loop prints (charrnn-spark's too). */
    public static String validationLine(double val) {
        return String.format("val loss %.4f nats/char (%.4f bits/char)", val, val / LN2);
    }

    /** h:mm:ss */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /** Takes a checkpoint now and writes it while training goes on; a failure is reported. */
    private void saveInBackground() {
        long at = iteration;
        java.util.function.Consumer<Exception> report = e -> err.println("charrnn: could not save a checkpoint at "
                + "iteration " + at + " in " + checkpoints.dir() + ": " + reason(e)
                + "; the previous one is intact and training goes on");
        try {
            checkpoints.saveInBackground(checkpoint(), report, file -> listener.onCheckpoint(at, file));
        } catch (IOException e) {
            report.accept(e);
        }
        drawPlot(false);
    }

    /**
     * The run's last checkpoint, written now; when it cannot be, says so in one line naming the newest
     * intact checkpoint, marks the run's end state as lost (see {@link #endStateLost()}) and returns null.
     */
    private Path saveAtEnd() {
        try {
            Path file = checkpoints.save(checkpoint());
            listener.onCheckpoint(iteration, file);
            return file;
        } catch (IOException | RuntimeException e) {
            Path intact = checkpoints.newestIntact();
            err.println("charrnn: could not save the final checkpoint at iteration " + iteration + " in "
                    + checkpoints.dir() + ": " + reason(e) + "; " + (intact != null
                    ? "the newest intact checkpoint is " + intact
                    : "no checkpoint of this run was saved"));
            endStateLost = true;
            return null;
        }
    }

    /** What went wrong, in words: file-system errors name the file and, where Java gives none, the kind. */
    private static String reason(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() == null) {
            String what = e instanceof java.nio.file.DirectoryNotEmptyException ? "a folder is in the way"
                    : e instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileAlreadyExistsException ? "a file is in the way"
                    : e.getClass().getSimpleName();
            return f.getFile() + ": " + what;
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** Whether the run ended without its last checkpoint (a full disk, say): the caller exits non-zero. */
    public boolean endStateLost() {
        return endStateLost;
    }

    /** The run as it stands, for a checkpoint (the arrays themselves, not copies). */
    public Checkpoint checkpoint() throws IOException {
        samples.await();   // the sample being drawn advances the random stream
        if (corpusFingerprint == null) {
            corpusFingerprint = corpus.fingerprint();   // read once: at most 2 MiB of the corpus
        }
        CheckpointMeta.CorpusPosition position = new CheckpointMeta.CorpusPosition(
                corpus.source().location(), corpus.bytes(), corpus.codePoints(),
                learner.position(), learner.byteOffset(), corpusFingerprint);
        CheckpointMeta meta = new CheckpointMeta(vocabulary.asStrings(), config.hiddenSize(), config.seqLength(),
                config.learningRate(), config.clip(), config.precision(), iteration, smoothLoss, position,
                rng.state(), config.valFraction());
        return learner.checkpoint(meta);
    }

    /** Asks the loop to stop after the iteration in progress (safe from another thread). */
    public void requestStop() {
        stopRequested = true;
    }

    public long iteration() {
        return iteration;
    }

    /** The training window's length, T. */
    public int seqLength() {
        return config.seqLength();
    }

    /** The last held-out loss per character scored in this session, NaN if none. */
    public double lastValidation() {
        return lastValidation;
    }

    /** The checkpoint the run ended with, null before the end or when it could not be written. */
    public Path lastSaved() {
        return lastSaved;
    }

    /** Whether the run stopped because {@link #requestStop()} was called. */
    public boolean stopped() {
        return stopRequested;
    }

    public double smoothLoss() {
        return smoothLoss;
    }

    /** The loss of the last window trained on (nats, summed over its T characters). */
    public double lastLoss() {
        return lastLoss;
    }

    /** Code-point index of the next window's first character (within its stream), before the wrap rule. */
    public long position() {
        return learner.position();
    }

    /** The model's training iteration: its parameters, optimizer and carried state. */
    public TrainingStep trainingStep() {
        return ((Learner) learner).learner();
    }

    @Override
    public void close() throws IOException {
        samples.close();
        learner.close();
    }
}
