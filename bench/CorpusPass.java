import charrnn.corpus.*;
import java.nio.file.Path;
/**
 * The driver's one pass over a corpus, timed: Corpus.scan (the vocabulary and the length) and the byte offsets
 * of 64 streams' starts, three times.
 *
 * usage: java -cp target/charrnn.jar bench/CorpusPass.java FILE
 */
public class CorpusPass {
    public static void main(String[] a) throws Exception {
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            Corpus c = Corpus.scan(Path.of(a[0]));
            long t1 = System.nanoTime();
            long[] s = StreamBatcher.startOffsets(c, 50, c.codePoints(), 64);
            long t2 = System.nanoTime();
            System.out.printf("scan %.2f s (%.0f MB/s), stream starts %.2f s%n", (t1 - t0) / 1e9, c.bytes() / ((t1 - t0) / 1e3), (t2 - t1) / 1e9);
        }
    }
}
