package charrnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line spark-submit runs: its output, its help, and one line with an exit code for bad input. */
class SparkTrainCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(SparkConf conf, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SparkTrain.run(args, conf, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exit code {@code code} and exactly one line on stderr, naming the problem. */
    private static void assertOneLine(Result r, int code, String says) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("charrnn: ") && r.err().contains(says), r.err());
    }

    @Test
    void trainsAndSavesAsCharrnnTrainDoes() throws IOException {
        Path corpus = Runs.corpus(dir, 20_000);
        Path runs = dir.resolve("run");
        SparkConf conf = Runs.conf("local[2]");
        Result r = run(conf, corpus.toUri().toString(), "--cell", "gru", "--hidden-size", "16",
                "--batch-size", "4", "--workers", "2", "--average-every", "5", "--max-iterations", "20",
                "--log-every", "10", "--val-fraction", "0.1", "--checkpoint-dir", runs.toString(),
                "--sample-every", "10", "--sample-length", "30", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        // samples on the driver, printed and in samples.txt, at iterations 0 and 10
        var samples = Files.readAllLines(runs.resolve("samples.txt"));
        assertEquals(2, samples.stream().filter(l -> l.startsWith("iter ")).count(), String.join("\n", samples));
        assertTrue(r.out().contains(samples.get(1)), r.out());
        // --threads is each task's cores; the executors get the Vector API
        assertEquals("1", conf.get("spark.task.cpus"));
        assertTrue(conf.get("spark.executor.extraJavaOptions").contains("--add-modules=jdk.incubator.vector"));
        assertTrue(r.out().contains("spark: 2 workers of 2 streams, averaging every 5 iterations"), r.out());
        assertTrue(r.out().contains("iter 10, loss: "), r.out());
        assertTrue(r.out().contains("val loss "), r.out());
        assertTrue(r.out().contains("done at iteration 20; saved " + runs.resolve("iter-00000020.npz")), r.out());
        assertTrue(Files.exists(runs.resolve("latest.npz")));
        // the header; iteration 0 logged; the held-out score at the end of the round that holds iteration 0
        // (charrnn train scores after iteration 0 itself); iteration 10; the end, with its score
        var rows = Files.readAllLines(runs.resolve("metrics.csv"));
        assertEquals(5, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(2).startsWith("4,") && rows.get(4).startsWith("19,"), String.join("\n", rows));
        // a second start in the same folder is refused, as charrnn train refuses it
        Result again = run(Runs.conf("local[2]"), corpus.toString(), "--checkpoint-dir", runs.toString());
        assertOneLine(again, 2, "already holds a saved run");
        // the default workers: local[2]'s parallelism, lowered to a divisor of B = 3
        Result defaults = run(Runs.conf("local[2]"), corpus.toString(), "--cell", "lstm", "--hidden-size", "8",
                "--batch-size", "3", "--max-iterations", "2", "--checkpoint-dir", dir.resolve("d").toString());
        assertEquals(0, defaults.code(), defaults.err());
        assertTrue(defaults.out().contains("spark: 1 worker of 3 streams"), defaults.out());
    }

    @Test
    void helpNamesEveryOptionWithItsDefault() {
        Result r = run(new SparkConf(false), "--help");
        assertEquals(0, r.code(), r.err());
        for (String option : new String[] {"--workers", "--average-every", "--cell", "--layers", "--hidden-size",
            "--embedding-size", "--batch-size", "--seq-length", "--optimizer", "--learning-rate", "--dropout",
            "--clip", "--val-fraction", "--max-iterations", "--max-minutes", "--checkpoint-dir",
            "--checkpoint-every", "--resume"}) {
            assertTrue(r.out().contains(option), option + " in\n" + r.out());
        }
        assertTrue(r.out().contains("(default: 10)"), r.out());
        assertTrue(r.out().contains("--second-moment") && r.out().contains("(default: rescaled)"), r.out());
        for (String option : new String[] {"--sample-every", "--sample-length", "--threads"}) {
            assertTrue(r.out().contains(option), option + " in\n" + r.out());
        }
        assertTrue(r.out().contains("task.cpus"), r.out());
    }

    @Test
    void badSettingsGetOneLineBeforeSparkStarts() throws IOException {
        Path corpus = Runs.corpus(dir, 20_000);
        SparkConf conf = Runs.conf("local[2]");
        String c = corpus.toString();
        assertOneLine(run(conf, c, "--cell", "lstm", "--batch-size", "4", "--workers", "3"), 2,
                "--workers 3 does not divide --batch-size 4");
        assertOneLine(run(conf, c, "--cell", "lstm", "--batch-size", "4", "--workers", "8"), 2,
                "--workers 8 is more than the 4 streams");
        assertOneLine(run(conf, c, "--workers", "0"), 2, "--workers must be a positive integer, got 0");
        assertOneLine(run(conf, c, "--threads", "0"), 2, "--threads");
        assertOneLine(run(conf, c, "--average-every", "0"), 2, "--average-every must be a positive integer, got 0");
        assertOneLine(run(conf, c, "--average-every", "x"), 2, "--average-every");
        assertOneLine(run(conf, c, "--second-moment", "median"), 2,
                "--second-moment must be rescaled, estimated or mean, got median");
        assertOneLine(run(new SparkConf(false), c), 2, "no Spark master");
        assertOneLine(run(conf), 2, "no corpus");
    }

    @Test
    void anUnreadableCorpusAndAnUnreachableMasterGetOneLine() throws IOException {
        assertOneLine(run(Runs.conf("local[2]"), dir.resolve("missing.txt").toString(), "--checkpoint-dir",
                dir.resolve("a").toString()), 1, "missing.txt: no such file");
        assertOneLine(run(Runs.conf("local[2]"), dir.toString(), "--checkpoint-dir", dir.resolve("b").toString()), 1,
                "is a directory");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();   // free once closed: nothing listens there
        }
        assertOneLine(run(Runs.conf("spark://127.0.0.1:" + port), Runs.corpus(dir, 1000).toString()), 1,
                "cannot reach the Spark master spark://127.0.0.1:" + port);
    }
}
