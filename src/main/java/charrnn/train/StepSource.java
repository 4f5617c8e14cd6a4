package charrnn.train;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointMeta;
import java.io.IOException;

/**
 * Where a run's iterations are computed, which {@link Trainer} drives: this machine's threads
 * ({@link LocalSteps}), or a cluster's workers in rounds (charrnn-spark). The trainer owns everything
 * else: the loop, the log lines, the held-out scores' timing, the samples, the checkpoints' timing, the
 * deadline and the stop.
 */
public interface StepSource extends AutoCloseable {
    /** The iterations one {@link #train} call runs at most: 1 on this machine, K on a cluster (a round). */
    int roundLength();

    /**
     * Reads the next iteration's windows, where this source reads them itself (a cluster's workers read
     * their own in {@link #train}); returns stream 0's first input, the seed of a sample drawn before the
     * iteration, or -1.
     */
    int next() throws IOException;

    /**
     * Iterations {@code first} .. {@code first + k − 1}, the learning rate scaled as the configuration's
     * schedule says at each iteration and {@code minutes} of training: each iteration's loss (nats, summed
     * over the window and averaged over the streams); null when the source was shut down under the call
     * (Ctrl-C on a cluster), the model as it was before it.
     */
    double[] train(long first, int k, double minutes) throws IOException;

    /** Where samples come from; null: this source draws none. */
    SampleSource samples();

    /** Whether training keeps every core of this machine busy (else samples are drawn beside it). */
    boolean usesBothCores();

    /** Whether part of the corpus is held out. */
    boolean validates();

    /** The held-out text's loss per character, in nats, of the model as it is now. */
    double validationLoss() throws IOException;

    /** Code-point index of the next window's first character (within its stream), before the wrap rule. */
    long position();

    /** Stream 0's next byte in the corpus. */
    long byteOffset();

    /** The run as it stands, for a checkpoint with {@code meta} (the arrays themselves, not copies). */
    Checkpoint checkpoint(CheckpointMeta meta) throws IOException;

    /** A line the run ends with (a cluster's rounds, say), or null. */
    default String summary() {
        return null;
    }

    @Override
    void close() throws IOException;
}
