package charrnn.spark;

import charrnn.api.Training;
import charrnn.api.TrainingListener;
import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointDir;
import charrnn.checkpoint.CheckpointFile;
import charrnn.checkpoint.CheckpointMeta;
import charrnn.checkpoint.ModelMeta;
import charrnn.corpus.Corpus;
import charrnn.corpus.StreamBatcher;
import charrnn.corpus.Vocabulary;
import charrnn.metrics.MetricsLog;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.StreamState;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import charrnn.train.TrainConfig;
import charrnn.train.Trainer;
import charrnn.train.TrainingDivergedException;
import charrnn.train.Validation;
import charrnn.util.Rng;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * A training run on Spark: synchronous data parallelism with periodic averaging (local SGD, as DL4J's
 * ParameterAveragingTrainingMaster). The corpus is cut into B streams as {@code charrnn train} cuts it;
 * worker w owns streams [w·B/W, (w+1)·B/W) and the state they carry. Each round the driver broadcasts the
 * parameters and the optimizer's state, every worker runs K iterations on its streams with the normal
 * engine, and the driver takes the mean of the workers' parameters and optimizer state ({@link Averaging}),
 * keeps the streams' state and place, logs, scores the held-out text and saves checkpoints: ordinary
 * version 2 checkpoints of B streams. With W = 1 the run is {@code charrnn train}'s, bit for bit.
 *
 * <p>Dropout: worker 0 draws its masks from the run's dropout stream, carried from round to round (so W = 1
 * draws as {@code charrnn train} does); worker w > 0 draws, each round, from a stream seeded by the run's
 * stream's state at the round's start and w. A checkpoint therefore holds every worker's future masks in
 * the one state it has always saved.
 */
final class SparkTraining {
    private static final String FAIL_TASK = "spark.charrnn.test.failTask";

    private final JavaSparkContext sc;
    private final Training.Builder settings;
    private final Training.Builder.Storage storage;
    private final String corpusPath;   // null: the checkpoint's
    private final int workers;
    private final int averageEvery;
    private final PrintStream out;
    private final PrintStream err;
    private volatile boolean stopRequested;
    private TrainingListener listener = new TrainingListener() { };
    /** Faults the test hook made (tasks run in the driver's JVM in local mode). */
    static final java.util.concurrent.atomic.AtomicInteger INJECTED_FAULTS = new java.util.concurrent.atomic.AtomicInteger();

    private TrainConfig config;
    private OptimizerConfig optimizerConfig;
    private Corpus corpus;
    private Vocabulary vocabulary;
    private ModelSpec spec;
    private long[] starts;
    private Weights weights;
    private States states;
    private long position;
    private long[] byteOffsets;
    private Rng rng;
    private Long dropoutState;
    private long iteration;
    private double smoothLoss;
    private double lastLoss = Double.NaN;
    private String fingerprint;
    private final List<Long> roundNanos = new ArrayList<>();   // per round, wall clock
    private final List<Long> computeNanos = new ArrayList<>(); // per round, the slowest task's own time

    SparkTraining(JavaSparkContext sc, Training.Builder settings, String corpusPath, int workers, int averageEvery,
                  PrintStream out, PrintStream err) {
        this.sc = sc;
        this.settings = settings;
        this.storage = settings.storage();
        this.corpusPath = corpusPath;
        this.workers = workers;
        this.averageEvery = averageEvery;
        this.out = out;
        this.err = err;
    }

    /** Reports each iteration's loss, each held-out score and each checkpoint, as charrnn train's listener. */
    void listen(TrainingListener l) {
        listener = l;
    }

    /** Ends the run after the round under way (or, if Spark is shutting down, at the last completed one). */
    void requestStop() {
        stopRequested = true;
    }

    /** Trains as set; returns the final checkpoint's path (null when there was nothing to do). */
    Path run() throws IOException {
        requireCounts(workers, averageEvery);
        try (CheckpointDir checkpoints = new CheckpointDir(storage.checkpointDir(), storage.keep())) {
            boolean fresh = storage.resume() == null;
            if (fresh ? !start() : !resume(checkpoints)) {
                return null;
            }
            checkpoints.removeLeftovers();
            if (fresh && storage.overwrite()) {
                checkpoints.clear();
            }
            try (MetricsLog metrics = fresh ? MetricsLog.start(storage.checkpointDir())
                    : MetricsLog.resume(storage.checkpointDir())) {
                return train(checkpoints, metrics);
            }
        }
    }

    /** The workers and the averaging period must be positive. */
    static void requireCounts(int workers, int averageEvery) {
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be a positive integer, got " + workers);
        }
        if (averageEvery < 1) {
            throw new IllegalArgumentException("--average-every must be a positive integer, got " + averageEvery);
        }
    }

    /** W must divide B (each worker owns B/W streams). */
    void requireWorkers(int batchSize) {
        requireWorkers(workers, batchSize);
    }

    static void requireWorkers(int workers, int batchSize) {
        if (workers > batchSize) {
            throw new IllegalArgumentException(String.format("--workers %d is more than the %d streams of "
                    + "--batch-size %d: each worker needs at least one stream", workers, batchSize, batchSize));
        }
        if (batchSize % workers != 0) {
            throw new IllegalArgumentException(String.format("--workers %d does not divide --batch-size %d: every "
                    + "worker gets B/W streams", workers, batchSize));
        }
    }

    private boolean start() throws IOException {
        config = settings.config();
        requireWorkers(config.deep().batchSize());
        if (Files.exists(storage.checkpointDir().resolve(CheckpointDir.LATEST)) && !storage.overwrite()) {
            throw new IllegalArgumentException(storage.checkpointDir() + " already holds a saved run: continue it "
                    + "with --resume latest, keep it by choosing another --checkpoint-dir, or replace it with "
                    + "--overwrite");
        }
        openCorpus(corpusPath);
        vocabulary = corpus.vocabulary();
        spec = config.spec(vocabulary.size());
        rng = new Rng(config.seed());
        ParamSet params = ParamSet.init(spec, rng);
        Rng dropout = config.dropoutRng(rng);
        dropoutState = dropout == null ? null : dropout.state();
        optimizerConfig = config.optimizer();
        weights = Weights.of(params, Optimizer.create(optimizerConfig, params));
        states = States.of(StreamState.zeros(spec, config.deep().batchSize()));
        atStart();
        smoothLoss = -Math.log(1.0 / vocabulary.size()) * config.seqLength();
        iteration = 0;
        return true;
    }

    private boolean resume(CheckpointDir checkpoints) throws IOException {
        Path path = checkpoints.resolve(storage.resume());
        Checkpoint saved = CheckpointFile.read(path);
        CheckpointMeta meta = saved.meta();
        config = settings.resumedConfig(saved);
        requireWorkers(config.deep().batchSize());
        if (config.maxIterations() <= meta.iteration()) {
            err.printf("charrnn: %s is at iteration %d already; --max-iterations %d leaves nothing to do%n",
                    path, meta.iteration(), config.maxIterations());
            return false;
        }
        openCorpus(corpusPath != null ? corpusPath : meta.corpus().path());
        vocabulary = Vocabulary.ofStrings(meta.vocab());
        int missing = vocabulary.firstMissing(corpus.vocabulary());
        if (missing >= 0) {
            throw new charrnn.corpus.CorpusException(String.format("%s has the character %s, which is not in the "
                    + "vocabulary of %s", corpus.name(), Vocabulary.describe(missing), path));
        }
        spec = config.spec(vocabulary.size());
        ModelMeta deep = saved.deep();
        optimizerConfig = Trainer.withLearningRate(deep.optimizer(), config.learningRate());
        weights = Weights.of(saved.params(), saved.optimizer());
        rng = meta.rngState() != null ? new Rng(meta.rngState()) : new Rng(config.seed());
        dropoutState = config.deep().dropout() == 0 ? null
                : deep.dropoutRngState() != null ? deep.dropoutRngState() : (Long) new Rng(config.seed()).state();
        if (storage.corpusChanged()) {
            saved.state().reset();
            states = States.of(saved.state());
            atStart();
        } else {
            meta.corpus().requireSame(corpus, path);
            states = States.of(saved.state());
            position = meta.corpus().position();
            byteOffsets = deep.byteOffsets().clone();
        }
        iteration = meta.iteration();
        smoothLoss = meta.smoothLoss();
        out.printf("resuming %s at iteration %d%s%n", path, iteration,
                storage.corpusChanged() ? ", from the start of " + corpus.name() : "");
        return true;
    }

    /** The corpus's one pass (on the driver), its checks, and where the B streams start. */
    private void openCorpus(String path) throws IOException {
        corpus = Corpus.scan(HadoopText.open(path, sc.hadoopConfiguration()));
        corpus.requireWindow(config.seqLength());
        long limit = config.trainLength(corpus.codePoints());
        StreamBatcher.requireStreams(limit, config.seqLength(), config.deep().batchSize());
        starts = StreamBatcher.startOffsets(corpus, config.seqLength(), limit, config.deep().batchSize());
        out.printf("data has %d characters, %d unique.%n", corpus.codePoints(), corpus.vocabulary().size());
        if (limit < corpus.codePoints()) {
            out.printf("training on the first %d, holding out the last %d for validation.%n", limit,
                    corpus.codePoints() - limit);
        }
    }

    private void atStart() {
        position = 0;
        byteOffsets = starts.clone();
    }

    private Path train(CheckpointDir checkpoints, MetricsLog metrics) throws IOException {
        int b = config.deep().batchSize();
        out.printf("spark: %d worker%s of %d stream%s, averaging every %d iteration%s; %s, %,d parameters, "
                        + "%s lr %s%n", workers, workers == 1 ? "" : "s", b / workers, b / workers == 1 ? "" : "s",
                averageEvery, averageEvery == 1 ? "" : "s", describe(), spec.parameterCount(),
                config.deep().optimizer(), config.learningRate());
        Broadcast<Job> job = sc.broadcast(Job.of(config, optimizerConfig, vocabulary, corpus, starts,
                sc.getConf().get(FAIL_TASK, null)));
        ParamSet driverParams = weights.params(spec);   // the mean, for scoring and checkpoints
        long limit = config.trainLength(corpus.codePoints());
        Validation validation = limit < corpus.codePoints() ? new Validation(corpus, vocabulary, config.engine(),
                driverParams, config.seqLength(), limit, b, config.threads()) : null;
        long runStart = System.nanoTime();
        long validationNanos = 0;
        long deadline = Double.isInfinite(config.maxMinutes()) ? Long.MAX_VALUE
                : runStart + (long) (config.maxMinutes() * 60e9);
        double elapsedBefore = metrics.elapsedBefore();
        long startIteration = iteration;
        long reportedThrough = iteration;   // the iterations done when the last line was printed
        long evaluated = -1;
        double lastRate = Double.NaN;
        Path lastSaved = null;
        int round = 0;
        try {
            while (iteration < config.maxIterations() && !stopRequested
                    && (deadline == Long.MAX_VALUE || System.nanoTime() - validationNanos <= deadline)) {
                long first = iteration;
                int k = (int) Math.min(averageEvery, config.maxIterations() - iteration);
                long roundStart = System.nanoTime();
                double minutes = (roundStart - runStart - validationNanos) / 60e9;
                double[] losses;
                try {
                    losses = round(job, round++, first, k, minutes);
                } catch (RuntimeException e) {
                    if (stopRequested || sc.sc().isStopped()) {
                        stopRequested = true;   // Spark shut down under the round (Ctrl-C): keep the last one
                        break;
                    }
                    throw e;
                }
                long now = System.nanoTime();
                roundNanos.add(now - roundStart);
                double charsPerSecond = k * (double) config.seqLength() * b / ((now - roundStart) * 1e-9);
                copyInto(driverParams);
                lastRate = charsPerSecond;
                // the round holds an iteration charrnn train would score after: score at the round's end
                boolean evaluate = validation != null && Math.floorDiv(first + k - 1, config.evalEvery())
                        > Math.floorDiv(first - 1, config.evalEvery());
                for (int j = 0; j < k; j++) {
                    long n = first + j;
                    double loss = losses[j];
                    lastLoss = loss;
                    if (!Double.isFinite(loss)) {
                        throw new TrainingDivergedException(String.format("the loss became %s at iteration %d; "
                                + "try a smaller --learning-rate or --clip", loss, n));
                    }
                    smoothLoss = smoothLoss * 0.999 + loss * 0.001;
                    iteration++;
                    listener.onIteration(n, loss / config.seqLength());
                    boolean log = config.logEvery() > 0 && n % config.logEvery() == 0;
                    boolean validateHere = evaluate && j == k - 1;
                    if (log || validateHere) {
                        double elapsed = elapsedBefore + (System.nanoTime() - runStart - validationNanos) * 1e-9;
                        double val = Double.NaN;
                        if (log) {
                            out.println(logLine(n, charsPerSecond, elapsed, startIteration, runStart));
                        }
                        if (validateHere) {
                            long scoring = System.nanoTime();
                            val = validation.lossPerChar();
                            validationNanos += System.nanoTime() - scoring;
                            out.println(Trainer.validationLine(val));
                            listener.onValidation(n, val);
                            evaluated = n;
                        }
                        metrics.row(n, smoothLoss / config.seqLength(), lastLoss / config.seqLength(), val,
                                charsPerSecond, elapsed);
                        reportedThrough = iteration;
                    }
                }
                int every = storage.checkpointEvery();
                if (every > 0 && iteration / every > first / every) {
                    lastSaved = checkpoints.save(checkpoint());
                    listener.onCheckpoint(iteration, lastSaved);
                }
            }
            if (iteration > reportedThrough || validation != null && evaluated != iteration - 1 && iteration > 0) {
                // the iterations since the last line: say where the run ended
                double elapsed = elapsedBefore + (System.nanoTime() - runStart - validationNanos) * 1e-9;
                double val = Double.NaN;
                if (config.logEvery() > 0) {
                    out.println(logLine(iteration - 1, lastRate, elapsed, startIteration, runStart));
                }
                if (validation != null) {
                    val = validation.lossPerChar();
                    out.println(Trainer.validationLine(val));
                    listener.onValidation(iteration - 1, val);
                }
                metrics.row(iteration - 1, smoothLoss / config.seqLength(), lastLoss / config.seqLength(), val,
                        lastRate, elapsed);
            }
            metrics.flush();
            if (iteration == startIteration) {
                out.printf("stopped at iteration %d; nothing to save%n", iteration);
                return null;
            }
            if (lastSaved == null || checkpoints.completed() != iteration) {
                lastSaved = checkpoints.save(checkpoint());
                listener.onCheckpoint(iteration, lastSaved);
            }
            out.println(roundSummary());
            out.printf("%s at iteration %d; saved %s%n", stopRequested ? "stopped" : "done", iteration, lastSaved);
            return lastSaved;
        } finally {
            if (validation != null) {
                validation.close();
            }
            release(job::destroy);
        }
    }

    /** One round: K iterations on every worker, then the mean of their weights; returns the mean losses. */
    private double[] round(Broadcast<Job> job, int round, long first, int k, double minutes) {
        int b = config.deep().batchSize();
        int per = b / workers;
        List<Shard> shards = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int from = w * per;
            shards.add(new Shard(round, w, from, from + per, position,
                    java.util.Arrays.copyOfRange(byteOffsets, from, from + per), states.rows(from, from + per),
                    dropoutOf(w), first, k, minutes));
        }
        Broadcast<Weights> shared = sc.broadcast(weights);
        JavaRDD<Replica.Result> results = sc.parallelize(shards, workers)
                .map(shard -> runTask(job.value(), shared.value(), shard))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Progress> progress = results.map(Replica.Result::progress).collect();   // runs the round
            long slowest = 0;
            for (Progress p : progress) {
                slowest = Math.max(slowest, p.nanos());
            }
            computeNanos.add(slowest);
            Weights mean = Averaging.mean(results, workers);
            double[] losses = new double[k];
            int done = k;
            for (Progress p : progress) {
                done = Math.min(done, p.losses().length);
            }
            for (int j = 0; j < k; j++) {
                double sum = 0;
                for (Progress p : progress) {   // in worker order
                    sum += j < p.losses().length ? p.losses()[j] : Double.NaN;
                }
                losses[j] = j < done ? sum / workers : Double.NaN;
            }
            for (Progress p : progress) {
                int from = p.worker() * per;
                states.setRows(from, p.state());
                System.arraycopy(p.byteOffsets(), 0, byteOffsets, from, per);
                position = p.position();
            }
            if (dropoutState != null) {
                dropoutState = progress.get(0).dropoutState();
            }
            weights = mean;
            return losses;
        } finally {
            release(() -> results.unpersist(false));
            release(shared::destroy);
        }
    }

    /** Frees a round's or the run's data on the executors; nothing to free once Spark has shut down (Ctrl-C). */
    private void release(Runnable free) {
        if (!sc.sc().isStopped()) {
            try {
                free.run();
            } catch (RuntimeException e) {
                if (!sc.sc().isStopped()) {
                    throw e;
                }
            }
        }
    }

    /** The state of worker w's dropout stream for the next round (see the class comment). */
    private Long dropoutOf(int w) {
        if (dropoutState == null) {
            return null;
        }
        return w == 0 ? dropoutState : new Rng(dropoutState ^ (w * 0xD1B54A32D192ED03L)).nextLong();
    }

    /** A worker's round in its task, on the task's cores (spark.task.cpus). */
    private static Replica.Result runTask(Job job, Weights weights, Shard shard) throws IOException {
        TaskContext task = TaskContext.get();
        if (job.failTask() != null && task.attemptNumber() == 0
                && job.failTask().equals(shard.round() + ":" + shard.worker())) {
            INJECTED_FAULTS.incrementAndGet();
            throw new IllegalStateException("a fault for the test: round " + shard.round() + ", worker "
                    + shard.worker() + ", attempt 0");
        }
        return Replica.run(job, weights, shard, Math.max(1, task.cpus()));
    }

    private void copyInto(ParamSet params) {
        ParamSet mean = weights.params(spec);
        for (String name : params.names()) {
            params.get(name).assign(mean.get(name));
        }
    }

    private Checkpoint checkpoint() throws IOException {
        if (fingerprint == null) {
            fingerprint = corpus.fingerprint();
        }
        CheckpointMeta.CorpusPosition where = new CheckpointMeta.CorpusPosition(corpus.source().location(),
                corpus.bytes(), corpus.codePoints(), position, byteOffsets[0], fingerprint);
        CheckpointMeta meta = new CheckpointMeta(vocabulary.asStrings(), config.hiddenSize(), config.seqLength(),
                config.learningRate(), config.clip(), config.precision(), iteration, smoothLoss, where, rng.state(),
                config.valFraction());
        var deep = config.deep();
        ModelMeta d = new ModelMeta(deep.cell(), deep.layers(), deep.batchSize(), optimizerConfig, weights.step(),
                deep.dropout(), dropoutState, byteOffsets.clone(), deep.embeddingSize(), deep.loss(), deep.lrDecay());
        return new Checkpoint(weights.params(spec), weights.optimizer(optimizerConfig, spec),
                states.toStreamState(spec), meta, d);
    }

    private String describe() {
        return String.format("%s, %d layer%s of %d, %s, %s", spec.cell(), spec.layers(), spec.layers() == 1 ? "" : "s",
                spec.hiddenSize(), spec.embedded() ? "embedding " + spec.embeddingSize() : "one-hot input",
                config.precision());
    }

    private String logLine(long n, double charsPerSecond, double elapsed, long startIteration, long runStart) {
        String line = Trainer.lossLine(n, smoothLoss, config.seqLength(), charsPerSecond, elapsed);
        if (config.maxIterations() != TrainConfig.UNLIMITED) {
            line += String.format(" | %.1f%%", 100.0 * iteration / config.maxIterations());
            if (iteration - startIteration > 1) {
                double perIteration = (System.nanoTime() - runStart) * 1e-9 / (iteration - startIteration);
                line += ", ETA " + Trainer.duration((config.maxIterations() - iteration) * perIteration);
            }
        }
        return line;
    }

    /**
     * {@code spark: R rounds of K, median X ms; of it Y ms Spark's (...)}: the median round's wall-clock time, and
     * the median of (round − its slowest task's own time): broadcasting, scheduling, the tree sum, collecting.
     */
    String roundSummary() {
        long[] round = roundNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] overhead = new long[round.length];
        for (int i = 0; i < round.length; i++) {
            overhead[i] = roundNanos.get(i) - computeNanos.get(i);
        }
        java.util.Arrays.sort(overhead);
        return round.length == 0 ? "spark: no rounds" : String.format("spark: %d round%s of up to %d iterations, "
                + "median %.1f ms; of it %.1f ms Spark's (broadcast, scheduling, tree sum, collect)", round.length,
                round.length == 1 ? "" : "s", averageEvery, round[round.length / 2] / 1e6,
                overhead[overhead.length / 2] / 1e6);
    }

    /** Wall-clock time of each round so far, in ns. */
    List<Long> roundNanos() {
        return roundNanos;
    }

    long iteration() {
        return iteration;
    }
}
