package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.checkpoint.CheckpointFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus changed under a running training (truncated, or rewritten with a character the model does
 * not know): the run stops with one line and exit code 1, and the checkpoints it saved load.
 */
class CorpusChangeTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "truncated, became shorter while training; it must not change",
        "rewritten, changed while training: U+2603 is not in its vocabulary",
    })
    void aCorpusChangedDuringTrainingStopsTheRunInOneLine(String change, String message) throws Exception {
        String original = "hello world, hello charrnn. ".repeat(10);
        Path text = Files.writeString(dir.resolve("text.txt"), original, StandardCharsets.UTF_8);
        Path ck = dir.resolve("ck");
        CompletableFuture<CliRunner.Result> run = CompletableFuture.supplyAsync(() -> CliRunner.run("train",
                text.toString(), "--seq-length", "5", "--hidden-size", "8", "--sample-every", "0", "--log-every", "0",
                "--checkpoint-every", "100", "--checkpoint-dir", ck.toString(), "--max-minutes", "1"));
        Path first = ck.resolve("iter-00000100.npz");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(first) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(Files.exists(first), "the run saved a checkpoint at 100");
        if (change.equals("truncated")) {
            Files.writeString(text, original.substring(0, 100), StandardCharsets.UTF_8);
        } else {
            // over the old bytes without truncating first (the new text is longer): a truncation would let the
            // run see a shorter file for a moment and stop with the other message
            Files.write(text, original.replace('w', '☃').getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE);
        }
        CliRunner.Result r = run.get(60, TimeUnit.SECONDS);
        r.assertOneLineErrorAnyOutput(1, message);
        long saved = CheckpointFile.read(ck.resolve("latest.npz")).meta().iteration();
        assertTrue(saved >= 100, "latest.npz loads, at iteration " + saved);
        assertEquals(saved, CheckpointFile.read(ck.resolve(String.format("iter-%08d.npz", saved))).meta().iteration());
    }
}
