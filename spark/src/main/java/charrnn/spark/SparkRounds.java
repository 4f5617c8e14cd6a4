package charrnn.spark;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointMeta;
import charrnn.checkpoint.ModelMeta;
import charrnn.corpus.Corpus;
import charrnn.corpus.StreamBatcher;
import charrnn.corpus.Vocabulary;
import charrnn.corpus.WindowStream;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.StreamState;
import charrnn.optim.OptimizerConfig;
import charrnn.train.ModelSamples;
import charrnn.train.RunStart;
import charrnn.train.SampleSource;
import charrnn.train.StepSource;
import charrnn.train.TrainConfig;
import charrnn.train.Validation;
import charrnn.util.Rng;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * A run's iterations on Spark, in rounds (synchronous data parallelism with periodic averaging, local SGD,
 * as DL4J's ParameterAveragingTrainingMaster). The corpus is cut into B streams as {@code charrnn train}
 * cuts it; worker w owns streams [w·B/W, (w+1)·B/W) and the state they carry. Each round the driver
 * broadcasts the parameters and the optimizer's state, every worker runs K iterations on its streams with
 * the normal engine, and the driver takes the mean of the workers' parameters and optimizer state
 * ({@link Averaging}; the mean square of the gradient rescaled, {@link SecondMoment}) and keeps the
 * streams' state and place. charrnn's own loop ({@code Trainer}) does the rest: the log, the held-out
 * scores and the samples (of the mean, on the driver), the checkpoints (ordinary version 2 checkpoints of
 * B streams). With W = 1 the run is {@code charrnn train}'s, bit for bit.
 *
 * <p>Dropout: worker 0 draws its masks from the run's dropout stream, carried from round to round (so W = 1
 * draws as {@code charrnn train} does); worker w > 0 draws, each round, from a stream seeded by the run's
 * stream's state at the round's start and w. A checkpoint therefore holds every worker's future masks in
 * the one state it has always saved.
 */
final class SparkRounds implements StepSource {
    static final String FAIL_TASK = "spark.charrnn.test.failTask";
    /** Up to this many workers (default 4) the driver sums their weights itself; beyond, the executors do. */
    static final String SUM_ON_DRIVER = "spark.charrnn.sumOnDriver";

    private final JavaSparkContext sc;
    private final int workers;
    private final int averageEvery;
    private final SecondMoment secondMoment;
    private final int sumOnDriver;
    private final TrainConfig config;
    private final OptimizerConfig optimizerConfig;
    private final ModelSpec spec;
    private final Broadcast<Job> job;
    private final ParamSet driverParams;   // the mean, for scoring and checkpoints
    private final Validation validation;   // null: nothing held out
    private final Corpus corpus;
    private final Vocabulary vocabulary;
    private final long[] starts;           // byte offset of each stream's first character
    private final long part;               // characters per stream
    private final StreamState sampleState; // stream 0's carried state when a sample is drawn (one stream)
    private final ModelSamples samples;    // of the mean; null: no samples
    private Weights weights;
    private final States states;
    private long position;
    private final long[] byteOffsets;
    private Long dropoutState;
    private int round;
    private final List<Long> roundNanos = new ArrayList<>();   // per round, wall clock
    private final List<Long> computeNanos = new ArrayList<>(); // per round, the slowest task's own time

    SparkRounds(JavaSparkContext sc, int workers, int averageEvery, SecondMoment secondMoment, RunStart start,
                PrintStream out) throws IOException {
        this.sc = sc;
        this.workers = workers;
        this.averageEvery = averageEvery;
        this.secondMoment = secondMoment;
        this.sumOnDriver = sc.getConf().getInt(SUM_ON_DRIVER, 4);
        this.config = start.config();
        this.corpus = start.corpus();
        this.vocabulary = start.vocabulary();
        int b = config.deep().batchSize();
        this.spec = start.params().spec();
        this.optimizerConfig = start.optimizer().config();
        long limit = config.trainLength(corpus.codePoints());
        this.part = limit / b;
        this.starts = StreamBatcher.startOffsets(corpus, config.seqLength(), limit, b);
        this.weights = Weights.of(start.params(), start.optimizer());
        this.states = States.of(start.state());
        this.position = start.byteOffsets() != null ? start.position() : 0;
        this.byteOffsets = start.byteOffsets() != null ? start.byteOffsets().clone() : starts.clone();
        this.dropoutState = start.dropoutRng() == null ? null : start.dropoutRng().state();
        this.driverParams = weights.params(spec);
        out.printf("spark: %d worker%s of %d stream%s, averaging every %d iteration%s%n", workers,
                workers == 1 ? "" : "s", b / workers, b / workers == 1 ? "" : "s", averageEvery,
                averageEvery == 1 ? "" : "s");
        this.job = sc.broadcast(Job.of(config, optimizerConfig, start.vocabulary(), corpus, starts,
                sc.getConf().get(FAIL_TASK, null)));
        this.sampleState = StreamState.zeros(spec, 1);
        try {
            this.validation = limit < corpus.codePoints() ? new Validation(corpus, start.vocabulary(),
                    config.engine(), driverParams, config.seqLength(), limit, b, config.threads()) : null;
            this.samples = config.sampleEvery() > 0
                    ? new ModelSamples(config.engine(), driverParams, sampleState, config.threads()) : null;
        } catch (Throwable e) {
            release(job::destroy);
            throw e;
        }
    }

    @Override
    public int roundLength() {
        return averageEvery;
    }

    @Override
    public int next() {
        return -1;   // (the workers read their windows in the round)
    }

    /** One round of k iterations; null when Spark shut down under it (Ctrl-C). */
    @Override
    public double[] train(long first, int k, double minutes) {
        long roundStart = System.nanoTime();
        double[] losses;
        try {
            losses = round(round++, first, k, minutes);
        } catch (RuntimeException e) {
            if (sc.sc().isStopped()) {
                return null;
            }
            throw e;
        }
        roundNanos.add(System.nanoTime() - roundStart);
        copyInto(driverParams);
        return losses;
    }

    /** One round: K iterations on every worker, then the mean of their weights; returns the mean losses. */
    private double[] round(int round, long first, int k, double minutes) {
        Broadcast<Job> job = this.job;   // (the task's closure takes the broadcast, not this driver object)
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
        JavaRDD<Replica.Result> tasks = sc.parallelize(shards, workers)
                .map(shard -> runTask(job.value(), shared.value(), shard));
        try {
            List<Progress> progress;
            Weights mean;
            if (workers <= sumOnDriver) {   // one job: every worker's copy to the driver, summed there
                List<Replica.Result> results = new ArrayList<>(tasks.collect());
                results.sort(java.util.Comparator.comparingInt(r -> r.progress().worker()));
                progress = results.stream().map(Replica.Result::progress).toList();
                mean = Averaging.mean(results.stream().map(Replica.Result::weights).toList());
            } else {   // two: the progress, then the tree's sum on the executors from the persisted results
                tasks.persist(StorageLevel.MEMORY_AND_DISK());
                try {
                    progress = tasks.map(Replica.Result::progress).collect();
                    mean = Averaging.mean(tasks, workers);
                } finally {
                    release(() -> tasks.unpersist(false));
                }
            }
            long slowest = 0;
            for (Progress p : progress) {
                slowest = Math.max(slowest, p.nanos());
            }
            computeNanos.add(slowest);
            mean = secondMoment.after(weights, mean, workers, optimizerConfig);
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
            SparkTraining.INJECTED_FAULTS.incrementAndGet();
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

    /** Samples drawn on the driver between rounds, from the mean and stream 0's carried state. */
    @Override
    public SampleSource samples() {
        return samples == null ? null : this::sample;
    }

    /**
     * A sample as {@code charrnn train} draws it before an iteration: the first character of stream 0's next
     * window, from stream 0's carried state (zeros when that window starts the stream over). The driver
     * reads that character itself; the workers read the windows.
     */
    private Callable<int[]> sample(int ignored, int length, Rng rng, boolean snapshot) {
        int[][] window = new int[1][config.seqLength() + 1];
        boolean fresh;
        try (StreamBatcher stream0 = StreamBatcher.of(WindowStream.resumeAt(corpus, vocabulary, config.seqLength(),
                starts[0], part, position, byteOffsets[0]))) {
            fresh = stream0.next(window);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StreamState carried = fresh ? StreamState.zeros(spec, 1) : states.rows(0, 1).toStreamState(spec);
        for (int l = 0; l < sampleState.h.length; l++) {
            sampleState.h[l].assign(carried.h[l]);
            if (sampleState.c != null) {
                sampleState.c[l].assign(carried.c[l]);
            }
        }
        return samples.sample(window[0][0], length, rng, false);
    }

    @Override
    public boolean usesBothCores() {
        return true;
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
        return position;
    }

    @Override
    public long byteOffset() {
        return byteOffsets[0];
    }

    @Override
    public Checkpoint checkpoint(CheckpointMeta meta) {
        ModelMeta d = config.modelMeta(optimizerConfig, weights.step(), dropoutState, byteOffsets.clone());
        return new Checkpoint(weights.params(spec), weights.optimizer(optimizerConfig, spec),
                states.toStreamState(spec), meta, d);
    }

    @Override
    public String summary() {
        return roundSummary();
    }

    /**
     * {@code spark: R rounds of K, median X ms; of it Y ms Spark's (...)}: the median round's wall-clock time, and
     * the median of (round − its slowest task's own time): broadcasting, scheduling, the sum, collecting.
     */
    String roundSummary() {
        long[] round = roundNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] overhead = new long[round.length];
        for (int i = 0; i < round.length; i++) {
            overhead[i] = roundNanos.get(i) - computeNanos.get(i);
        }
        java.util.Arrays.sort(overhead);
        return round.length == 0 ? "spark: no rounds" : String.format("spark: %d round%s of up to %d iterations, "
                + "median %.1f ms; of it %.1f ms Spark's (broadcast, scheduling, sum, collect)", round.length,
                round.length == 1 ? "" : "s", averageEvery, round[round.length / 2] / 1e6,
                overhead[overhead.length / 2] / 1e6);
    }

    /** Wall-clock time of each round so far, in ns. */
    List<Long> roundNanos() {
        return roundNanos;
    }

    @Override
    public void close() throws IOException {
        try {
            if (validation != null) {
                validation.close();
            }
        } finally {
            try {
                if (samples != null) {
                    samples.close();
                }
            } finally {
                release(job::destroy);
            }
        }
    }
}
