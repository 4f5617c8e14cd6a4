package charrnn.spark;

import charrnn.api.Training;
import charrnn.api.TrainingListener;
import charrnn.api.TrainingResult;
import charrnn.corpus.TextSource;
import charrnn.train.RunStart;
import charrnn.train.Runner;
import charrnn.train.StepSource;
import charrnn.train.TrainConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A training run on Spark: charrnn's own run ({@link Training}: start, resume, loop, log, held-out scores,
 * checkpoints) with its iterations computed by W workers in rounds of K ({@link SparkRounds}) and its corpus
 * read through Hadoop's file systems ({@link HadoopText}).
 */
final class SparkTraining implements Runner {
    /** Faults the test hook made ({@link SparkRounds#FAIL_TASK}; tasks run in the driver's JVM in local mode). */
    static final java.util.concurrent.atomic.AtomicInteger INJECTED_FAULTS = new java.util.concurrent.atomic.AtomicInteger();

    private final JavaSparkContext sc;
    private final Training.Builder settings;
    private final String corpusPath;   // null: the checkpoint's
    private final int workers;
    private final int averageEvery;
    private final SecondMoment secondMoment;
    private final PrintStream out;
    private volatile Training training;
    private volatile boolean stopRequested;
    private SparkRounds rounds;

    SparkTraining(JavaSparkContext sc, Training.Builder settings, String corpusPath, int workers, int averageEvery,
                  SecondMoment secondMoment, PrintStream out, PrintStream err) {
        this.sc = sc;
        this.settings = settings;
        this.corpusPath = corpusPath;
        this.workers = workers;
        this.averageEvery = averageEvery;
        this.secondMoment = secondMoment;
        this.out = out;
        settings.output(out, err);
    }

    /** Reports each iteration's loss, each held-out score and each checkpoint, as charrnn train's listener. */
    void listen(TrainingListener l) {
        settings.listener(l);
    }

    /** Ends the run after the round under way (or, if Spark is shutting down, at the last completed one). */
    void requestStop() {
        stopRequested = true;
        Training t = training;
        if (t != null) {
            t.stop();
        }
    }

    /** Trains as set; returns the final checkpoint's path (null when there was nothing to do). */
    Path run() throws IOException {
        requireCounts(workers, averageEvery);
        // through Hadoop's file systems: the corpus given, or the one a resumed checkpoint names (savedCorpus)
        settings.corpus(corpusPath != null ? HadoopText.open(corpusPath, sc.hadoopConfiguration()) : null);
        Training t = settings.build();
        training = t;
        if (stopRequested) {
            t.stop();
        }
        TrainingResult result = t.run(this);
        return rounds == null ? null : result.checkpoint();
    }

    @Override
    public void check(TrainConfig config) {
        requireWorkers(workers, config.deep().batchSize());
    }

    @Override
    public TextSource savedCorpus(String location) {
        return HadoopText.open(location, sc.hadoopConfiguration());
    }

    @Override
    public StepSource open(RunStart start) throws IOException {
        rounds = new SparkRounds(sc, workers, averageEvery, secondMoment, start, out);
        return rounds;
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

    /** Wall-clock time of each round so far, in ns. */
    java.util.List<Long> roundNanos() {
        return rounds == null ? java.util.List.of() : rounds.roundNanos();
    }
}
