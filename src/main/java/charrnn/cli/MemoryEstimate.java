package charrnn.cli;

import charrnn.model.CellType;
import charrnn.model.ModelSpec;
import java.lang.management.ManagementFactory;
import org.bytedeco.javacpp.Pointer;

/**
 * What a model will need in memory, estimated before anything is allocated, so that a model too large for
 * the machine is refused in one line instead of ending in an OutOfMemoryError.
 */
final class MemoryEstimate {
    private MemoryEstimate() {
    }

    /** Bytes the arrays of a run need: parameters with their gradients and optimizer state, and activations. */
    static long bytes(ModelSpec spec, int batchSize, int seqLength, boolean minChar) {
        long width = spec.precision().dataType().width();
        long params = spec.parameterCount();
        if (minChar) {
            // parameters, gradients, Adagrad memories, the sampler's copy; activations are a few (T+1)×H rows
            return width * (4 * params + 8L * (seqLength + 1) * (spec.hiddenSize() + spec.vocabSize()));
        }
        long rows = (long) batchSize * seqLength;
        long h = spec.hiddenSize();
        long gh = (long) spec.cell().gates * h;
        long perLayer = rows * (2 * gh + (spec.cell() == CellType.GRU ? 2 * gh : 0) + 6 * h) + rows * h;
        long activations = spec.layers() * perLayer + rows * (3L * spec.vocabSize() + 2 * h + spec.vocabSize());
        // parameters, gradients, up to two optimizer slots; the held-out scorer has activations of its own
        return width * (4 * params + 2 * activations);
    }

    /** Refuses, saying how much it would need, a run whose arrays cannot fit in this machine's memory. */
    static void require(ModelSpec spec, int batchSize, int seqLength, boolean minChar) {
        long need = bytes(spec, batchSize, seqLength, minChar);
        long physical = physicalMemory();
        long limit = Pointer.maxPhysicalBytes() > 0 ? Math.min(physical, Pointer.maxPhysicalBytes()) : physical;
        if (need > limit) {
            throw new IllegalArgumentException(String.format(
                    "a %s model with %d layer%s of %d units (%,d parameters), %d stream%s of %d steps needs about %s "
                            + "of memory; %s is available: choose a smaller --hidden-size, --layers or --batch-size",
                    spec.cell(), spec.layers(), spec.layers() == 1 ? "" : "s", spec.hiddenSize(),
                    spec.parameterCount(), batchSize, batchSize == 1 ? "" : "s", seqLength, human(need),
                    human(limit)));
        }
    }

    private static long physicalMemory() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return Long.MAX_VALUE;
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format("%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format("%.0f MiB", bytes / (double) (1L << 20));
    }
}
