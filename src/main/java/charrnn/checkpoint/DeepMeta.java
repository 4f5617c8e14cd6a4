package charrnn.checkpoint;

import charrnn.model.CellType;
import charrnn.optim.OptimizerConfig;

/**
 * meta.json fields of format version 2 beyond version 1's.
 *
 * @param optimizerStep   updates the optimizer has made (adam's bias correction counts them)
 * @param dropoutRngState the dropout masks' random stream, or null (then it starts from the run's seed)
 * @param byteOffsets     byte offset of each stream's next window, or null when the corpus is not recorded
 */
public record DeepMeta(CellType cell, int layers, int batchSize, OptimizerConfig optimizer, long optimizerStep,
                       double dropout, Long dropoutRngState, long[] byteOffsets) {
}
