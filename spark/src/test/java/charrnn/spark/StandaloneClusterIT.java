package charrnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.checkpoint.CheckpointFile;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spark standalone cluster as a user starts one ({@code spark/local-cluster start}: Spark's own Master and
 * two Workers, each a JVM of its own, on free loopback ports) and runs on it ({@code spark/spark-submit
 * --master spark://...} with the application jar): two workers give the bits of local[2], when an executor
 * is killed with SIGKILL mid-run (Spark starts another and reruns what was lost), and when the driver is
 * killed with SIGKILL and the same command with {@code --resume latest} finishes the run. Every process the
 * test starts is stopped, whatever happens. Run by {@code mvn verify} (after {@code package}: it needs the
 * jars spark-submit runs).
 */
class StandaloneClusterIT {
    @TempDir
    static Path dir;

    private static final Path SPARK = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final long RUN_LIMIT_MINUTES = 5;
    private static String master;
    private static Path clusterDir;
    private static Path corpus;
    private static Path reference;   // local[2]'s final checkpoint
    private static final List<Process> started = new ArrayList<>();

    /** lstm with dropout and held-out text, two workers of two streams averaging every 5 iterations. */
    private static List<String> settings(Path checkpoints) {
        return List.of(corpus.toString(), "--cell", "lstm", "--hidden-size", "32", "--batch-size", "4",
                "--seq-length", "25", "--dropout", "0.1", "--val-fraction", "0.1", "--eval-every", "50",
                "--workers", "2", "--average-every", "5", "--max-iterations", "100", "--log-every", "10",
                "--checkpoint-every", "20", "--checkpoint-dir", checkpoints.toString());
    }

    @BeforeAll
    static void startCluster() throws Exception {
        corpus = Runs.corpus(dir, 100_000);
        Process local = submit("local[2]", settings(dir.resolve("local")), dir.resolve("local.log"));
        finish(local, dir.resolve("local.log"));
        reference = dir.resolve("local/latest.npz");

        clusterDir = dir.resolve("cluster");
        int port = freePort();
        ProcessBuilder start = new ProcessBuilder(SPARK.resolve("local-cluster").toString(), "start", "2", "1")
                .redirectError(dir.resolve("local-cluster.log").toFile());
        start.environment().putAll(Map.of("LOCAL_CLUSTER_DIR", clusterDir.toString(),
                "SPARK_MASTER_PORT", Integer.toString(port), "SPARK_MASTER_WEBUI_PORT", Integer.toString(freePort())));
        Process p = start.start();
        started.add(p);
        master = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "local-cluster start returned");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("local-cluster.log")));
        assertEquals("spark://127.0.0.1:" + port, master);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        List<ProcessHandle> daemons = new ArrayList<>();
        if (clusterDir != null) {
            for (String name : new String[] {"master", "worker-1", "worker-2"}) {
                daemon(name).ifPresent(daemons::add);
            }
            ProcessBuilder stop = new ProcessBuilder(SPARK.resolve("local-cluster").toString(), "stop")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("local-cluster-stop.log").toFile());
            stop.environment().put("LOCAL_CLUSTER_DIR", clusterDir.toString());
            Process p = stop.start();
            if (!p.waitFor(1, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
        }
        // whatever local-cluster stop did: nothing this test started outlives it
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (ProcessHandle d : daemons) {
            d.descendants().forEach(ProcessHandle::destroyForcibly);
            d.destroyForcibly();
        }
        for (ProcessHandle d : daemons) {
            d.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anExecutorKilledMidRunChangesNoBit() throws Exception {
        Path log = dir.resolve("executor-killed.log");
        Path checkpoints = dir.resolve("executor-killed");
        Process driver = submit(master, settings(checkpoints), log);
        awaitLog(driver, log, "iter 30,");
        ProcessHandle executor = executorOf("worker-2");
        long launches = launches("worker-2");
        executor.destroyForcibly();   // SIGKILL
        executor.onExit().get(30, TimeUnit.SECONDS);
        assertFalse(Files.readString(log).contains("done at"), "killed mid-run");
        finish(driver, log);
        String out = Files.readString(log);
        assertTrue(out.contains("Lost executor"), "the driver saw the executor die:\n" + out);
        assertTrue(launches("worker-2") > launches,
                "Spark started another executor:\n" + Files.readString(clusterDir.resolve("worker-2.log")));
        Runs.assertSameCheckpoint(reference, checkpoints.resolve("latest.npz"));
        assertEquals(100, CheckpointFile.read(checkpoints.resolve("latest.npz")).meta().iteration());
    }

    @Test
    void aDriverKilledMidRunResumesToTheSameBits() throws Exception {
        Path log = dir.resolve("driver-killed.log");
        Path checkpoints = dir.resolve("driver-killed");
        Process driver = submit(master, settings(checkpoints), log);
        awaitLog(driver, log, "iter 50,");
        driver.destroyForcibly();   // SIGKILL (spark/spark-submit execs the driver's JVM)
        assertTrue(driver.waitFor(30, TimeUnit.SECONDS));
        assertTrue(driver.exitValue() != 0);
        long saved = CheckpointFile.read(checkpoints.resolve("latest.npz")).meta().iteration();
        assertTrue(saved >= 20 && saved < 100, "killed after a checkpoint and before the end: " + saved);

        List<String> again = new ArrayList<>(settings(checkpoints));
        again.addAll(List.of("--resume", "latest"));
        Path resumedLog = dir.resolve("driver-resumed.log");
        finish(submit(master, again, resumedLog), resumedLog);
        assertTrue(Files.readString(resumedLog).contains("at iteration " + saved), Files.readString(resumedLog));
        Runs.assertSameCheckpoint(reference, checkpoints.resolve("latest.npz"));
    }

    /** spark/spark-submit with {@code args} after charrnn-spark.jar; stdout and stderr into {@code log}. */
    private static Process submit(String master, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(SPARK.resolve("spark-submit").toString(), "--master", master,
                "--conf", "spark.ui.enabled=false", "--class", "charrnn.spark.SparkTrain",
                SPARK.resolve("target/charrnn-spark.jar").toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    /** Waits for a run to end; it must end with exit code 0 within the limit. */
    private static void finish(Process p, Path log) throws Exception {
        boolean ended = p.waitFor(RUN_LIMIT_MINUTES, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, "the run ended within " + RUN_LIMIT_MINUTES + " minutes:\n" + Files.readString(log));
        assertEquals(0, p.exitValue(), Files.readString(log));
    }

    /** Waits until the run's log holds {@code text} (the run still going). */
    private static void awaitLog(Process p, Path log, String text) throws Exception {
        long until = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(RUN_LIMIT_MINUTES);
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            assertTrue(p.isAlive(), "the run ended before '" + text + "' in the log:\n" + Files.readString(log));
            assertTrue(System.currentTimeMillis() < until, "no '" + text + "' in the log:\n" + Files.readString(log));
            Thread.sleep(50);
        }
    }

    /** The process of local-cluster's daemon {@code name} (master, worker-N). */
    private static java.util.Optional<ProcessHandle> daemon(String name) throws IOException {
        Path pid = clusterDir.resolve(name + ".pid");
        return Files.exists(pid) ? ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
                : java.util.Optional.empty();
    }

    /** The executor a worker started (its child JVM running CoarseGrainedExecutorBackend). */
    private static ProcessHandle executorOf(String worker) throws IOException {
        ProcessHandle w = daemon(worker).orElseThrow();
        return w.children().filter(c -> c.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                .findFirst().orElseThrow(() -> new AssertionError(worker + " runs no executor"));
    }

    /** How many executors a worker was asked to start so far. */
    private static long launches(String worker) throws IOException {
        return Files.readAllLines(clusterDir.resolve(worker + ".log")).stream()
                .filter(l -> l.contains("Asked to launch executor")).count();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
