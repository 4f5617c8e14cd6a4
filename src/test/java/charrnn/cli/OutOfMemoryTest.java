package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        ChildJvm.Result r = ChildJvm.run(List.of("-Xmx12m"), Main.class, List.of("train", text.toString(),
                "--max-iterations", "5", "--checkpoint-dir", dir.resolve("ck").toString()), 2);
        String err = r.err();
        assertEquals(1, r.code(), err);
        String last = err.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("charrnn: out of memory ("), err);
        assertTrue(last.endsWith("choose a smaller model, or raise the limit with CHARRNN_JAVA_OPTS=-Xmx..."), err);
        assertTrue(!err.contains("\tat "), "no stack trace: " + err);
    }
}
