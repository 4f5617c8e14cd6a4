package charrnn.api;

import java.nio.file.Path;

/**
 * How a {@link Training} ended.
 *
 * @param iterations      iterations done in total (a resumed run counts from its start)
 * @param smoothLoss      min-char-rnn's smoothed loss, per character, in nats
 * @param validation      the last held-out loss per character scored in this session, NaN if none
 * @param checkpoint      the checkpoint the run ended with; null when it could not be written, or when the
 *                        run was stopped before its first iteration (nothing to save)
 * @param stopped         whether {@link Training#stop()} ended it (else its iterations or minutes did)
 * @param endStateLost    whether its last checkpoint could not be written (the command line exits 1)
 */
public record TrainingResult(long iterations, double smoothLoss, double validation, Path checkpoint,
                             boolean stopped, boolean endStateLost) {
}
