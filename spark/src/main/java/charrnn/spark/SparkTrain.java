package charrnn.spark;

import charrnn.api.TrainOption;
import charrnn.api.Training;
import charrnn.cli.CommandLines;
import charrnn.cli.Main;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code spark-submit --class charrnn.spark.SparkTrain charrnn-spark.jar CORPUS [options]}: trains on a
 * Spark cluster (or in local mode) with W workers averaging every K iterations. Exit codes as
 * {@code charrnn train}'s: 0 ok, 1 failure, 2 usage error.
 */
@Command(name = "charrnn-spark",
        mixinStandardHelpOptions = true,
        version = "charrnn-spark 0.1.0",
        sortOptions = false,
        description = {
            "Train a charrnn model on Apache Spark: the corpus is cut into B streams as charrnn train cuts it, "
                    + "worker w trains streams [w*B/W, (w+1)*B/W) with the normal engine for K iterations, and the "
                    + "driver takes the mean of the workers' parameters and optimizer state, then the next round "
                    + "begins. With --workers 1 the run is charrnn train's, bit for bit.",
            "The master comes from spark-submit (--master). Checkpoints (version 2, B streams) are written by "
                    + "the driver; charrnn generate, charrnn score and charrnn train --resume read them."},
        footer = {"", "Examples:",
                "  spark/spark-submit --master 'local[2]' --class charrnn.spark.SparkTrain \\",
                "      spark/target/charrnn-spark.jar corpus/input.txt --cell lstm --batch-size 8 --workers 2 \\",
                "      --max-iterations 2000 --checkpoint-dir runs/spark",
                "  spark-submit --master spark://host:7077 --conf spark.task.cpus=8 --executor-cores 8 \\",
                "      --class charrnn.spark.SparkTrain charrnn-spark.jar hdfs:///data/text.txt --cell lstm \\",
                "      --layers 2 --hidden-size 512 --batch-size 64 --workers 16 --average-every 50"})
public final class SparkTrain implements Callable<Integer> {
    /** The options of charrnn train that a Spark run takes as they are (--threads is {@link #threads}). */
    static final Set<TrainOption> OPTIONS = EnumSet.complementOf(EnumSet.of(TrainOption.THREADS));

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CORPUS",
            description = "UTF-8 text to train on: a path of the default file system or a URI (file:, hdfs:, ...), "
                    + "read by every worker at its streams' offsets (default with --resume: the checkpoint's corpus).")
    String corpus;

    @Option(names = "--workers", paramLabel = "W",
            description = "Workers (Spark tasks, one per round each); W must divide --batch-size (default: Spark's "
                    + "default parallelism, e.g. N for local[N], lowered to the largest divisor of B).")
    Integer workers;

    @Option(names = "--average-every", paramLabel = "K", defaultValue = "10",
            description = "Iterations each worker runs between two averagings; larger K sends less over the network "
                    + "per iteration, smaller K keeps the workers closer to one model (default: ${DEFAULT-VALUE}).")
    int averageEvery;

    @Option(names = "--second-moment", paramLabel = "HOW", defaultValue = "rescaled",
            description = "The optimizer's mean square of the gradient (adam's and rmsprop's v, adagrad's memory) "
                    + "after a round: rescaled (what the workers added in the round divided by W, as if their B/W "
                    + "streams' gradients were W times noisier than the batch's, which they are), estimated "
                    + "(adam only: the increment split into the mean gradient's square, from m, and the noise) or "
                    + "mean (the plain mean, which makes the steps shorter than one machine's). docs/cluster.md "
                    + "has the measurements (default: ${DEFAULT-VALUE}).")
    String secondMoment;

    @Option(names = "--threads", paramLabel = "N",
            description = "Cores of each worker's task, 1 to 1024: sets spark.task.cpus (a worker's engine runs on N "
                    + "threads; an executor of C cores runs C/N workers at once) and the driver's threads for the "
                    + "held-out scores and samples. The result is the same bit for bit on any count (default: "
                    + "spark.task.cpus, 1 unless set, for the workers; the driver's cores for the driver).")
    Integer threads;

    private final SparkConf conf;
    private final PrintStream out;
    private final PrintStream err;

    SparkTrain(SparkConf conf, PrintStream out, PrintStream err) {
        this.conf = conf;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, new SparkConf(), System.out, System.err));
    }

    /** Runs the command line with {@code conf} (spark.master and the rest) and returns the exit code. */
    static int run(String[] args, SparkConf conf, PrintStream out, PrintStream err) {
        CommandLine cmd = CommandLines.create(new SparkTrain(conf, out, err), out, err);
        CommandLines.addTrainOptions(cmd.getCommandSpec(), OPTIONS);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable cause = userError(ex);
            if (cause == null) {
                err.println("charrnn: spark: " + HadoopText.oneLine(ex));
                return 1;
            }
            err.println("charrnn: " + cause.getMessage());
            return cause instanceof IllegalArgumentException ? 2 : 1;
        });
        return cmd.execute(args);
    }

    /** The user's mistake behind an error (a task's error comes wrapped in Spark's), or null. */
    private static Throwable userError(Throwable e) {
        for (int depth = 0; e != null && depth < 10; e = e.getCause(), depth++) {
            if (e instanceof SparkMasterException || e instanceof Exception x && Main.userMessage(x) != null
                    && !(x instanceof IOException && x.getClass().getName().startsWith("org.apache.spark"))) {
                return e;
            }
        }
        return null;
    }

    @Override
    public Integer call() throws Exception {
        Training.Builder b = Training.builder().output(out, err);
        ParseResult parsed = spec.commandLine().getParseResult();
        for (TrainOption o : OPTIONS) {
            if (parsed.hasMatchedOption(o.flag)) {
                o.apply(b, parsed.matchedOptionValue(o.flag, null));
            }
        }
        if (corpus == null && !parsed.hasMatchedOption("--resume")) {
            throw new IllegalArgumentException("no corpus: give a text to train on, or a checkpoint to resume");
        }
        if (threads != null) {
            b.threads(threads);
        }
        b.corpus(Path.of("-"));   // (read through Hadoop below: the builder only checks the other settings)
        b.build();
        if (workers != null) {
            SparkTraining.requireCounts(workers, averageEvery);
            if (!parsed.hasMatchedOption("--resume")) {
                SparkTraining.requireWorkers(workers, b.config().deep().batchSize());
            }
        }
        SparkTraining.requireCounts(1, averageEvery);
        SecondMoment moment = SecondMoment.parse(secondMoment);
        if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("no Spark master: run through spark-submit (or spark/spark-submit) "
                    + "with --master, e.g. --master 'local[2]'");
        }
        requireReachable(conf.get("spark.master"));
        conf.setIfMissing("spark.app.name", "charrnn");
        // parameters and optimizer state do not compress: lz4 over H = 512's 51 MB took 90 of a round's 410 ms
        conf.setIfMissing("spark.broadcast.compress", "false");
        if (threads != null) {
            conf.set("spark.task.cpus", threads.toString());
        }
        withVectorApi(conf);
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel(conf.get("spark.charrnn.logLevel", "WARN"));
            int w = workers != null ? workers : defaultWorkers(sc.defaultParallelism(), b);
            SparkTraining training = new SparkTraining(sc, b, corpus, w, averageEvery, moment, out, err);
            CommandLines.untilDoneOrSignalled(training::run, training::requestStop);
            return 0;
        }
    }

    /**
     * The executors' JVMs get the engine's Vector API, as the driver's has it under spark/spark-submit and
     * charrnn train's under ./charrnn: without it the engine falls back to scalar loops, slower and with other
     * last bits.
     */
    static void withVectorApi(SparkConf conf) {
        String key = "spark.executor.extraJavaOptions";
        String options = conf.get(key, "");
        if (!options.contains("jdk.incubator.vector")) {
            conf.set(key, (options + " --add-modules=jdk.incubator.vector").trim());
        }
    }

    /** Spark's default parallelism, lowered to the largest divisor of the batch size (1 when resuming). */
    private static int defaultWorkers(int parallelism, Training.Builder b) {
        if (b.storage().resume() != null) {
            return Math.max(1, parallelism);   // (checked against the checkpoint's B later)
        }
        int batch = b.config().deep().batchSize();
        int w = Math.max(1, Math.min(parallelism, batch));
        while (batch % w != 0) {
            w--;
        }
        return w;
    }

    /** A standalone master (spark://host:port, or several for high availability) that answers, or one line. */
    static void requireReachable(String master) {
        if (!master.startsWith("spark://")) {
            return;   // local, yarn, k8s: Spark's own checks
        }
        String why = null;
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port = 7077;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--master " + master + ": '" + hostPort + "' is not host:port");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 5000);
                return;
            } catch (IOException e) {
                why = hostPort + ": " + HadoopText.oneLine(e);
            }
        }
        throw new SparkMasterException("cannot reach the Spark master " + master + " (" + why + ")");
    }

    /** The master did not answer. */
    static final class SparkMasterException extends RuntimeException {
        SparkMasterException(String message) {
            super(message);
        }
    }
}
