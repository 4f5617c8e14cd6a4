package charrnn.train;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointDir;
import charrnn.checkpoint.CheckpointMeta;
import charrnn.checkpoint.ModelMeta;
import charrnn.corpus.Corpus;
import charrnn.corpus.Vocabulary;
import charrnn.metrics.LossPlot;
import charrnn.metrics.MetricsLog;
import charrnn.metrics.MetricsRow;
import charrnn.model.ParamSet;
import charrnn.optim.OptimizerConfig;
import charrnn.util.Profile;
import charrnn.util.Rng;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The training loop of every run, on this machine or a cluster ({@link StepSource}): min-char-rnn's windows
 * streamed from the corpus, hidden state carried from one window to the next, and every so often a sample,
 * the smoothed loss, the held-out score and a checkpoint; the deadline and the stop.
 */
public final class Trainer implements AutoCloseable {
    private static final double LN2 = Math.log(2);

    private final TrainConfig config;
    private final Corpus corpus;
    private final Vocabulary vocabulary;   // the model's: indices of the corpus's characters
    private final StepSource steps;
    private final Rng rng;
    private final PrintStream out;
    private final Samples samples;         // draws and prints the samples; every line of output goes through it
    private final int sampleEvery;         // 0: no samples (also when the source draws none)

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

    private Trainer(RunStart start, StepSource steps, PrintStream out) {
        this.config = start.config();
        this.corpus = start.corpus();
        this.vocabulary = start.vocabulary();
        this.steps = steps;
        this.iteration = start.iteration();
        this.smoothLoss = start.smoothLoss();
        this.rng = start.rng();
        this.out = out;
        this.err = out;
        this.sampleEvery = steps.samples() == null ? 0 : config.sampleEvery();
        boolean spareCore = !steps.usesBothCores() && Runtime.getRuntime().availableProcessors() > 1;
        this.samples = new Samples(out, vocabulary, rng, config.sampleLength(), steps.samples(),
                spareCore && sampleEvery > 0);
    }

    /** A fresh run: weights drawn from {@code rng} (min-char-rnn's init for rnn, see {@link ParamSet#init}). */
    public static Trainer start(TrainConfig config, Corpus corpus, Rng rng, PrintStream out) throws IOException {
        return start(config, corpus, ParamSet.init(config.spec(corpus.vocabulary().size()), rng),
                config.optimizer(), corpus.vocabulary(), rng, out);
    }

    /** A fresh run from the given weights on this machine ({@link RunStart#fresh}). */
    public static Trainer start(TrainConfig config, Corpus corpus, ParamSet params, OptimizerConfig optimizer,
                                Vocabulary vocabulary, Rng rng, PrintStream out) throws IOException {
        return open(RunStart.fresh(config, corpus, params, optimizer, vocabulary, rng), Runner.LOCAL, out);
    }

    /** A saved run continued on this machine ({@link RunStart#resumed}). */
    public static Trainer resume(TrainConfig config, Corpus corpus, Checkpoint saved, boolean atSavedPosition,
                                 Rng rng, PrintStream out) throws IOException {
        return open(RunStart.resumed(config, corpus, saved, atSavedPosition, rng), Runner.LOCAL, out);
    }

    /** The loop around {@code runner}'s iterations from {@code start}; the source is closed if that fails. */
    public static Trainer open(RunStart start, Runner runner, PrintStream out) throws IOException {
        StepSource steps = runner.open(start);
        try {
            return new Trainer(start, steps, out);
        } catch (Throwable e) {
            Resources.closeAfter(e, steps);
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
            long first = iteration;
            int k = (int) Math.min(steps.roundLength(), config.maxIterations() - iteration);
            double[] losses = round(first, k);
            if (losses == null) {
                stopRequested = true;   // the source shut down under the round (Ctrl-C): keep the last one
                break;
            }
            long now = System.nanoTime();
            // the round holds an iteration to score after: score at the round's end
            boolean evaluate = steps.validates() && Math.floorDiv(first + k - 1, config.evalEvery())
                    > Math.floorDiv(first - 1, config.evalEvery());
            boolean reported = false;
            for (int j = 0; j < k; j++) {
                long n = first + j;
                count(n, losses[j]);
                boolean log = config.logEvery() > 0 && n % config.logEvery() == 0;
                boolean validate = evaluate && j == k - 1;
                if (log || validate) {
                    report(n, log, validate, now, first + k);
                    evaluated = validate ? n : evaluated;
                    reported = true;
                }
            }
            if (reported) {
                logStart = System.nanoTime();   // the validation pass is not training time
                logIteration = iteration;
            }
            if (checkpoints != null && checkpointEvery > 0 && iteration / checkpointEvery > first / checkpointEvery) {
                saveInBackground();
            }
        }
        samples.await();
        if (iteration > logIteration || (steps.validates() && evaluated != iteration - 1 && iteration > 0)) {
            // the iterations since the last line: say where the run ended
            report(iteration - 1, config.logEvery() > 0, steps.validates(), System.nanoTime(), iteration);
        }
        Profile.charge(Profile.Phase.OTHER);
        if (Profile.ENABLED) {
            err.print(Profile.report());
        }
        if (metrics != null) {
            metrics.flush();   // now: on Ctrl-C the JVM ends soon after this method returns
        }
        String summary = steps.summary();
        if (summary != null && iteration > runStartIteration) {
            samples.println(summary);
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

    /**
     * Prints the log line of iteration {@code n} and the validation loss as asked, and records them in the
     * metrics log; {@code now} is the end of the round that ran it, {@code done} the iterations done then.
     */
    private void report(long n, boolean log, boolean evaluate, long now, long done) throws IOException {
        double charsPerSecond = (done - logIteration) * (double) config.seqLength() * config.deep().batchSize()
                / ((now - logStart) * 1e-9);
        double elapsed = elapsedBefore() + (now - runStart - validationNanos) * 1e-9;   // training time
        if (log) {
            samples.println(logLine(n, charsPerSecond, elapsed));
        }
        double val = Double.NaN;
        if (evaluate) {
            Profile.begin();
            long scoring = System.nanoTime();
            val = steps.validationLoss();
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

    /**
     * Iterations {@code first} .. {@code first + k − 1} from the source (one on this machine: its window, a
     * sample when due, loss and gradients, clipping, the optimizer's step); null when the source stopped.
     */
    private double[] round(long first, int k) throws IOException {
        int seed = steps.next();
        // a sample when the round holds a multiple of --sample-every (one machine: the iteration is one)
        if (sampleEvery > 0 && (first % sampleEvery == 0 || first / sampleEvery != (first + k - 1) / sampleEvery)) {
            Profile.charge(Profile.Phase.OTHER);
            samples.start(first, smoothLoss, seed);
            Profile.charge(Profile.Phase.SAMPLING);
        }
        return steps.train(first, k, (System.nanoTime() - runStart - validationNanos) / 60e9);
    }

    /** Iteration {@code n}'s loss counted: the smooth loss, the iteration, the listener. */
    private void count(long n, double loss) {
        lastLoss = loss;
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(String.format(
                    "the loss became %s at iteration %d; try a smaller --learning-rate or --clip", loss, n));
        }
        smoothLoss = smoothLoss * (1 - MetricsRow.SMOOTHING) + loss * MetricsRow.SMOOTHING;   // (1 - 0.001 is 0.999 exactly)
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
                steps.position(), steps.byteOffset(), corpusFingerprint);
        CheckpointMeta meta = new CheckpointMeta(vocabulary.asStrings(), config.hiddenSize(), config.seqLength(),
                config.learningRate(), config.clip(), config.precision(), iteration, smoothLoss, position,
                rng.state(), config.valFraction());
        return steps.checkpoint(meta);
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
        return steps.position();
    }

    /** The model's training iteration: its parameters, optimizer and carried state. */
    public TrainingStep trainingStep() {
        return ((LocalSteps) steps).step();
    }

    @Override
    public void close() throws IOException {
        samples.close();
        steps.close();
    }
}
