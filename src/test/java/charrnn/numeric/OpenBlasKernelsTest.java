package charrnn.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.testing.ChildJvm;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The OpenBLAS kernels a JVM gets when no launcher started it: a child JVM started as a Java API user, a Spark
 * executor or a test runner starts one (this classpath, no {@code OPENBLAS_*} variable in its environment)
 * multiplies through ND4J and charrnn's {@link Blas}, and OpenBLAS names the kernels it chose ({@code
 * OPENBLAS_VERBOSE=2}: "Core: NAME" on stderr as it loads, the only OpenBLAS variable set). On a CPU with
 * AVX-512 they must be AVX-512 kernels: the OpenBLAS ND4J asks for (0.3.19) took AMD's Zen 4 for an AVX2-only
 * CPU and Intel's Sapphire and Emerald Rapids for a pre-AVX2 one, and only the launcher corrected that; the
 * OpenBLAS charrnn ships (0.3.31) decides from the CPU's features (pom.xml).
 */
class OpenBlasKernelsTest {
    /** OpenBLAS's names of its AVX-512 kernel sets (driver/others/dynamic.c's corename). */
    static final Set<String> AVX512_KERNELS = Set.of("skylakex", "cooperlake", "sapphirerapids");

    /** The child: loads the natives as charrnn does and multiplies, through ND4J and through {@link Blas}. */
    public static final class Multiply {
        public static void main(String[] args) {
            Nd4j.create(2, 2).mmul(Nd4j.create(2, 2));
            NativeArray a = new NativeArray(Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 2));
            NativeArray c = new NativeArray(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 2));
            Blas.gemm(true, false, false, 2, 2, 2, a.at(0), 2, a.at(0), 2, 0, c.at(0), 2);
            if (c.get(3) != 2) {
                throw new AssertionError("1 1 / 1 1 squared gave " + c.get(3) + " at (1, 1)");
            }
            System.out.println("multiplied");
        }
    }

    @Test
    void aJvmStartedWithoutTheLauncherGetsTheKernelsOfItsCpusFeatures() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(List.of("-Xmx256m"), Multiply.class, List.of()));
        pb.environment().keySet().removeIf(name -> name.startsWith("OPENBLAS_"));
        pb.environment().put("OPENBLAS_VERBOSE", "2");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the child ended");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("multiplied"), out);
        Set<String> named = out.lines().filter(l -> l.startsWith("Core: ")).map(l -> l.substring(6).trim())
                .collect(java.util.stream.Collectors.toSet());
        assertEquals(1, named.size(), "OpenBLAS named one set of kernels: " + out);
        String kernels = named.iterator().next();
        boolean avx512 = cpuHasAvx512();
        assertEquals(avx512, AVX512_KERNELS.contains(kernels.toLowerCase(Locale.ROOT)),
                "this CPU " + (avx512 ? "has" : "lacks") + " AVX-512 (F, CD, BW, DQ, VL); OpenBLAS chose " + kernels);
    }

    /**
     * Whether the CPU has the AVX-512 subsets OpenBLAS's AVX-512 kernels need: from Linux's CPU flags where
     * they can be read; elsewhere, whether HotSpot found AVX-512 (UseAVX 3) on an x86 CPU.
     */
    static boolean cpuHasAvx512() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            List<String> flags = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags"))
                    .findFirst().map(l -> Arrays.asList(l.substring(l.indexOf(':') + 1).trim().split("\\s+")))
                    .orElse(List.of());
            return flags.containsAll(List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"));
        }
        String arch = System.getProperty("os.arch");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return false;
        }
        var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        return Integer.parseInt(hotspot.getVMOption("UseAVX").getValue()) >= 3;
    }
}
