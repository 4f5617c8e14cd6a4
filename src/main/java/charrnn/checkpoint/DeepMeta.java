package charrnn.checkpoint;

import charrnn.model.CellType;
import charrnn.optim.LossNormalization;
import charrnn.optim.OptimizerConfig;

/**
 * meta.json fields of format version 2 beyond version 1's.
 *
 * @param optimizerStep   updates the optimizer has made (adam's bias correction counts them)
 * @param dropoutRngState the dropout masks' random stream, or null (then it starts from the run's seed)
 * @param byteOffsets     byte offset of each stream's next window, or null when the corpus is not recorded
 * @param embeddingSize   E of the input embedding {@code emb} (V×E); 0 (or absent from meta.json): one-hot input
 * @param loss            what the gradients are of ("loss" in meta.json; absent: sum, every file's before it)
 * @param lrDecay         the last fraction of the run over which the learning rate falls to 0 (absent: 0)
 */
public record DeepMeta(CellType cell, int layers, int batchSize, OptimizerConfig optimizer, long optimizerStep,
                       double dropout, Long dropoutRngState, long[] byteOffsets, int embeddingSize,
                       LossNormalization loss, double lrDecay) {

    /** One-hot input and the summed loss. */
    public DeepMeta(CellType cell, int layers, int batchSize, OptimizerConfig optimizer, long optimizerStep,
                    double dropout, Long dropoutRngState, long[] byteOffsets) {
        this(cell, layers, batchSize, optimizer, optimizerStep, dropout, dropoutRngState, byteOffsets, 0,
                LossNormalization.SUM, 0);
    }
}
