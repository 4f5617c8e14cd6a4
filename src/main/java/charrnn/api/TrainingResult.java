package charrnn.api;

import java.nio.file.Path;

/**
 * How a {@link Training} ended.
 *
 * @param iterations      iterations done in total (a resumed run counts from its start)
 * @param smoothLoss      min-char-rnn's smoothed loss, per character, in nats
 * @param validation      the last held-out loss per character scored in this session, NaN if none
 * @param checkpoint      the checkpoint the run ended with; null when it could not be written (or none
 *                        was asked for)
 * @param stopped         whether {@link Training#stop()} ended it (else its iterations or minutes did)
 */
public record TrainingResult(long iterations, double smoothLoss, double validation, Path checkpoint,
                             boolean stopped) {
    /** Whether the run's end state is lost: its last checkpoint could not be written (the CLI exits 1). */
    public boolean endStateLost() {
        return checkpoint == null;
    }
}
