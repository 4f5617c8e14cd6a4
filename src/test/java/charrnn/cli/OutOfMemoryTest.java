package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of memory ends in one line and exit code 1, not a stack trace: charrnn in a child JVM with a
 * 12 MiB heap, where ND4J's native allocator (capped at four times the heap) refuses its first arrays.
 */
class OutOfMemoryTest {
    @TempDir
    Path dir;

    @Test
    void outOfMemoryIsOneLine() throws IOException, InterruptedException {
        Path text = Files.writeString(dir.resolve("text.txt"), "hello world, hello charrnn. ".repeat(10));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx12m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", text.toString(),
                "--max-iterations", "5", "--checkpoint-dir", dir.resolve("ck").toString()).start();
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(1, p.exitValue(), err);
        String last = err.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("charrnn: out of memory ("), err);
        assertTrue(last.endsWith("choose a smaller model, or raise the limit with CHARRNN_JAVA_OPTS=-Xmx..."), err);
        assertTrue(!err.contains("\tat "), "no stack trace: " + err);
    }
}
