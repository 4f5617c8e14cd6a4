package charrnn.api;

import java.nio.file.Path;

/**
 * What a {@link Training} reports as it goes. Every method has an empty default: implement those you
 * need. Calls come from the thread that runs the training, except {@link #onCheckpoint}, which a
 * background save makes from its writer thread.
 */
public interface TrainingListener {
    /** After iteration {@code iteration} (counted from 0): that window's loss per character, in nats. */
    default void onIteration(long iteration, double lossPerChar) {
    }

    /** A sample drawn at {@code iteration} (every {@code sampleEvery} iterations). */
    default void onSample(long iteration, String text) {
    }

    /** The held-out text's loss per character, in nats, scored after {@code iteration}. */
    default void onValidation(long iteration, double natsPerChar) {
    }

    /** A checkpoint of the run after {@code iterations} iterations, written whole to {@code file}. */
    default void onCheckpoint(long iterations, Path file) {
    }
}
