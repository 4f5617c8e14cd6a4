package charrnn.checkpoint;

/**
 * What a checkpoint file holds: {@link Checkpoint}, min-char-rnn's model (format version 1), or
 * {@link DeepCheckpoint}, any other cell, depth, batch or optimizer (format version 2).
 */
public sealed interface SavedRun permits Checkpoint, DeepCheckpoint {
    CheckpointMeta meta();
}
