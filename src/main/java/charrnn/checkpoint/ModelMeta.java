package charrnn.checkpoint;

import charrnn.model.CellType;
import charrnn.model.ModelSpec;
import charrnn.optim.LossNormalization;
import charrnn.optim.OptimizerConfig;

/**
 * meta.json fields of format version 2 beyond version 1's: the model's and its training's. A version 1
 * file is min-char-rnn's configuration ({@link #minCharConfiguration(double, long[])}).
 *
 * @param optimizerStep   updates the optimizer has made (adam's bias correction counts them)
 * @param dropoutRngState the dropout masks' random stream, or null (then it starts from the run's seed)
 * @param byteOffsets     byte offset of each stream's next window, or null when the corpus is not recorded
 * @param embeddingSize   E of the input embedding {@code emb} (V×E); 0 (or absent from meta.json): one-hot input
 * @param loss            what the gradients are of ("loss" in meta.json; absent: sum, every file's before it)
 * @param lrDecay         the last fraction of the run over which the learning rate falls to 0 (absent: 0)
 */
public record ModelMeta(CellType cell, int layers, int batchSize, OptimizerConfig optimizer, long optimizerStep,
                       double dropout, Long dropoutRngState, long[] byteOffsets, int embeddingSize,
                       LossNormalization loss, double lrDecay) {

    /**
     * min-char-rnn's configuration, what a version 1 file holds: one rnn layer reading one-hot characters,
     * one stream, Adagrad at {@code learningRate}, no dropout, the summed loss, a constant learning rate.
     *
     * @param byteOffsets the stream's byte offset (one), or null when the corpus is not recorded
     */
    public static ModelMeta minCharConfiguration(double learningRate, long[] byteOffsets) {
        return new ModelMeta(CellType.RNN, 1, 1, OptimizerConfig.of(OptimizerConfig.Kind.ADAGRAD, learningRate), 0,
                0, null, byteOffsets, 0, LossNormalization.SUM, 0);
    }

    /** Whether this is min-char-rnn's configuration, saved as format version 1. */
    public boolean isMinCharConfiguration() {
        return isMinCharConfiguration(cell, layers, embeddingSize, batchSize, optimizer.kind(), optimizer.epsilon(),
                dropout, loss, lrDecay);
    }

    /**
     * min-char-rnn's configuration, the one rule (a run's settings and a checkpoint's both ask it): its model
     * ({@link ModelSpec#isMinCharModel}), one stream, Adagrad with ε = 1e-8, no dropout, the summed loss and
     * a constant learning rate. Such a run is saved as format version 1.
     */
    public static boolean isMinCharConfiguration(CellType cell, int layers, int embeddingSize, int batchSize,
                                                 OptimizerConfig.Kind optimizer, double epsilon, double dropout,
                                                 LossNormalization loss, double lrDecay) {
        return ModelSpec.isMinCharModel(cell, layers, embeddingSize) && batchSize == 1
                && optimizer == OptimizerConfig.Kind.ADAGRAD && epsilon == OptimizerConfig.EPSILON && dropout == 0
                && loss == LossNormalization.SUM && lrDecay == 0;
    }

    /** One-hot input and the summed loss. */
    public ModelMeta(CellType cell, int layers, int batchSize, OptimizerConfig optimizer, long optimizerStep,
                    double dropout, Long dropoutRngState, long[] byteOffsets) {
        this(cell, layers, batchSize, optimizer, optimizerStep, dropout, dropoutRngState, byteOffsets, 0,
                LossNormalization.SUM, 0);
    }
}
