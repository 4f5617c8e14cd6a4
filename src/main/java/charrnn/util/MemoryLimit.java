package charrnn.util;

import java.lang.management.ManagementFactory;
import org.bytedeco.javacpp.Pointer;

/**
 * How much memory the arrays of a model may take here: the machine's physical memory, or less where the
 * native allocator under ND4J is capped (JavaCPP's {@code maxPhysicalBytes}, which counts the whole process).
 */
public final class MemoryLimit {
    private MemoryLimit() {
    }

    /** Bytes available to arrays. */
    public static long available() {
        long physical = physicalMemory();
        return Pointer.maxPhysicalBytes() > 0 ? Math.min(physical, Pointer.maxPhysicalBytes()) : physical;
    }

    private static long physicalMemory() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return Long.MAX_VALUE;
    }

    /** 1.5 GiB, 300 MiB, 2.0e+09 GiB. */
    public static String human(double bytes) {
        if (bytes >= 1e6 * (1L << 30)) {
            return String.format("%.1e GiB", bytes / (1L << 30));
        }
        if (bytes >= 1L << 30) {
            return String.format("%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format("%.0f MiB", bytes / (double) (1L << 20));
    }
}
