/**
 * A training run's loop and iterations, below the Java API ({@code charrnn.api.Training}, which sets a
 * run up, starts or resumes it and hands it a {@link charrnn.train.Runner}). Which class is which:
 * <ul>
 *   <li>{@link charrnn.train.Trainer}: the one loop of every run, on this machine or a cluster: the log
 *       lines, the held-out scores, the samples, the checkpoints' timing, the deadline and the stop.
 *   <li>{@link charrnn.train.StepSource}: where the iterations come from, which the trainer drives:
 *       {@code LocalSteps} on this machine, charrnn-spark's rounds on a cluster. A
 *       {@link charrnn.train.Runner} makes one from a {@link charrnn.train.RunStart}, what a run begins from.
 *   <li>{@link charrnn.train.TrainingStep}: one iteration of a model over B streams: the network's forward
 *       and backward passes, then the gradients' scale, the clip and the optimizer's step.
 *   <li>{@link charrnn.train.TrainConfig}: a run's settings, checked; {@link charrnn.train.TrainListener}:
 *       what a run reports as it goes (the Java API's {@code TrainingListener} is this interface).
 *   <li>{@link charrnn.train.Validation}: the held-out text's score; {@code Samples}: the printed samples
 *       and every other printed line, in order.
 * </ul>
 */
package charrnn.train;
