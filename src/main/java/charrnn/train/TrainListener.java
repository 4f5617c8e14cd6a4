package charrnn.train;

import java.nio.file.Path;

/**
 * What a run reports as it goes; the Java API's {@code charrnn.api.TrainingListener} is this interface.
 * Every method has an empty default.
 */
public interface TrainListener {
    /** After iteration {@code iteration} (from 0): that window's loss per character, in nats. */
    default void onIteration(long iteration, double lossPerChar) {
    }

    /** A sample drawn at {@code iteration}. */
    default void onSample(long iteration, String text) {
    }

    /** The held-out text's loss per character, in nats, after {@code iteration}. */
    default void onValidation(long iteration, double natsPerChar) {
    }

    /** A checkpoint of {@code iterations} iterations written whole (may come from the writer thread). */
    default void onCheckpoint(long iterations, Path file) {
    }
}
