package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.checkpoint.CheckpointFile;
import charrnn.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM (what Ctrl-C's SIGINT also triggers) stops training after saving a checkpoint. */
class SignalTest {
    @TempDir
    Path dir;

    @Test
    void sigtermSavesACheckpointBeforeExiting() throws IOException, InterruptedException {
        Path text = Files.writeString(dir.resolve("text.txt"), "a signal arrives at any time. ".repeat(20));
        Path ck = dir.resolve("ck");
        Process p = ChildJvm.start(List.of(), Main.class, List.of("train", text.toString(), "--hidden-size", "8",
                "--seq-length", "5", "--sample-every", "0", "--log-every", "100", "--checkpoint-every", "0",
                "--checkpoint-dir", ck.toString()), true);
        StringBuilder out = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("iter 200,")) {
                    p.toHandle().destroy();   // SIGTERM, leaving our end of the pipe open
                }
            }
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertEquals(128 + 15, p.exitValue(), out.toString());
        assertTrue(out.toString().matches("(?s).*\nstopped at iteration \\d+; saved .*iter-\\d+\\.npz\n"),
                out.toString());
        long saved = CheckpointFile.read(ck.resolve("latest.npz")).meta().iteration();
        assertTrue(saved > 200, "saved at iteration " + saved);
        assertTrue(out.toString().contains("stopped at iteration " + saved + ";"), out.toString());
    }
}
