package charrnn.train;

import charrnn.checkpoint.CheckpointMeta;
import charrnn.checkpoint.SavedRun;
import java.io.IOException;

/**
 * The model side of a training run, which {@link Trainer} drives without knowing the model: its windows,
 * its iteration, its samples, its held-out score and its checkpoint. {@link MinCharLearner} runs
 * min-char-rnn's configuration on its own engines, bit for bit as before the deeper models came;
 * {@link StackedLearner} runs every other cell, depth, batch, optimizer and dropout.
 */
interface Learner extends SampleSource, AutoCloseable {

    /**
     * Reads the next window of every stream; when they start over (the first window or a wrap), resets
     * the carried state.
     *
     * @return vocabulary index of stream 0's first input character (where its sample starts)
     */
    int next() throws IOException;

    /** One iteration on the windows read: loss, gradients, clipping, an optimizer step. */
    double train();

    /** The learning rate of the iterations that follow, as a factor of the configured one (the schedule's). */
    default void scaleLearningRate(double scale) {
    }

    /** Whether the model's arithmetic keeps both cores busy (then samples are drawn in place). */
    boolean usesBothCores();

    /** Whether part of the corpus is held out. */
    boolean validates();

    /** Mean loss per character, in nats, over the held-out text, from a zero state. */
    double validationLoss() throws IOException;

    /** Offset p of the next windows within their streams, before the wrap rule. */
    long position();

    /** Byte offset of stream 0's next window. */
    long byteOffset();

    /** The run as it stands (the arrays themselves) with {@code meta}. */
    SavedRun checkpoint(CheckpointMeta meta);

    @Override
    void close() throws IOException;
}
