/**
 * charrnn from Java: {@link charrnn.api.CharRnn} loads a trained model to generate and score text,
 * {@link charrnn.api.Training} trains one with every option of {@code charrnn train}, and
 * {@link charrnn.api.LossCurves} draws a run's loss plot. The command line is built on these classes, so
 * what it prints, they return.
 *
 * <p>Errors, one type per kind, each with the one-line message the command line prints: a bad setting
 * or argument is an {@link java.lang.IllegalArgumentException}; a checkpoint that cannot be used a
 * {@link charrnn.checkpoint.CheckpointException}; a corpus that cannot be used (missing, not UTF-8, too
 * short, changed under a run) a {@link charrnn.corpus.CorpusException}; a run whose loss diverged a
 * {@link charrnn.train.TrainingDivergedException}; a metrics file that cannot be drawn a
 * {@link charrnn.metrics.LossPlot.BadMetricsException}; other input or output failures an
 * {@link java.io.IOException}. All but the last are unchecked.
 */
package charrnn.api;
