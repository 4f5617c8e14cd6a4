import charrnn.compress.Crnn;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * charrnn compress's trade-off of size against speed: compresses FILE with each of the settings given
 * (E,H,B,T,LR: embedding, hidden size, streams, window, learning rate; seed 42), in one JVM one after the
 * other, and prints bits per byte and KB/s. The default is 16,64,1,16,0.01.
 *
 *   mvn -q -B compile
 *   java --add-modules jdk.incubator.vector -cp target/classes bench/CompressSettings.java FILE 16,64,1,16,0.01 16,128,1,16,0.01
 *
 * THREADS (a system property, -DTHREADS=N) is --threads (default: the cores).
 */
public class CompressSettings {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long bytes = Files.size(file);
        int threads = Integer.getInteger("THREADS", Runtime.getRuntime().availableProcessors());
        for (int i = 1; i < args.length; i++) {
            String[] f = args[i].split(",");
            Crnn.Settings settings = new Crnn.Settings(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                    Integer.parseInt(f[2]), Integer.parseInt(f[3]), Double.parseDouble(f[4]), 42);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long start = System.nanoTime();
            Crnn.compress(file, out, settings, threads, Crnn.Progress.NONE);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("E=%s H=%s B=%s T=%s lr=%s: %,d bytes, %.3f bits per byte, %.0f KB/s%n", f[0], f[1], f[2],
                    f[3], f[4], out.size(), 8.0 * out.size() / bytes, bytes / 1e3 / seconds);
        }
    }
}
