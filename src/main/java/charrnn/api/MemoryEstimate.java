package charrnn.api;

import charrnn.model.CellType;
import charrnn.model.ModelSpec;
import charrnn.util.MemoryLimit;

/**
 * What a model will need in memory, estimated before anything is allocated, so that a model too large for
 * the machine is refused in one line instead of ending in an OutOfMemoryError.
 */
final class MemoryEstimate {
    private MemoryEstimate() {
    }

    /**
     * Bytes the arrays of a run need: parameters with their gradients and optimizer state, and activations
     * (in floating point, so that absurd sizes cannot wrap around).
     */
    static double bytes(ModelSpec spec, int batchSize, int seqLength, boolean minChar) {
        double width = spec.precision().dataType().width();
        double params = spec.parameterCountEstimate();
        if (minChar) {
            // parameters, gradients, Adagrad memories, the sampler's copy, a background checkpoint's copy of the
            // parameters and memories; activations are a few (T+1)×H rows
            return width * (6 * params + 8.0 * (seqLength + 1) * ((double) spec.hiddenSize() + spec.vocabSize()));
        }
        double rows = (double) batchSize * seqLength;
        double h = spec.hiddenSize();
        double gh = spec.cell().gates * h;
        double perLayer = rows * (2 * gh + (spec.cell() == CellType.GRU ? 2 * gh : 0) + 6 * h) + rows * h;
        double embedding = rows * 2.0 * spec.embeddingSize();   // layer 0's input rows and their gradient
        double activations = spec.layers() * perLayer + embedding
                + rows * (3.0 * spec.vocabSize() + 2 * h + spec.vocabSize());
        // parameters, gradients, up to two optimizer slots, a background checkpoint's copy of parameters and
        // slots; the held-out scorer has activations of its own
        return width * (7 * params + 2 * activations);
    }

    /** Refuses, saying how much it would need, a run whose arrays cannot fit in this machine's memory. */
    static void require(ModelSpec spec, int batchSize, int seqLength, boolean minChar) {
        double need = bytes(spec, batchSize, seqLength, minChar);
        long limit = MemoryLimit.available();
        if (need > limit) {
            throw new IllegalArgumentException(String.format(
                    "a %s model with %d layer%s of %d units (%,.0f parameters), %d stream%s of %d steps needs about %s "
                            + "of memory; %s is available: choose a smaller --hidden-size, --embedding-size, --layers or --batch-size",
                    spec.cell(), spec.layers(), spec.layers() == 1 ? "" : "s", spec.hiddenSize(),
                    spec.parameterCountEstimate(), batchSize, batchSize == 1 ? "" : "s", seqLength,
                    MemoryLimit.human(need),
                    MemoryLimit.human(limit)));
        }
    }
}
