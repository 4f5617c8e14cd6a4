package charrnn.api;

import charrnn.train.TrainListener;

/**
 * What a {@link Training} reports as it goes: after every iteration, each sample, each held-out score and
 * each checkpoint written ({@link TrainListener}'s methods). Every method has an empty default: implement
 * those you need. Calls come from the thread that runs the training, except {@code onCheckpoint}, which a
 * background save makes from its writer thread.
 */
public interface TrainingListener extends TrainListener {
}
