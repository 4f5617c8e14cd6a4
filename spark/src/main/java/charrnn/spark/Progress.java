package charrnn.spark;

import java.io.Serializable;

/**
 * What a worker's round leaves besides its weights: its streams' state and place, its dropout stream and
 * the loss of each of its iterations (summed over the window, averaged over its streams), and the time the
 * task took from receiving its inputs to returning (nanoseconds).
 */
record Progress(int worker, States state, long position, long[] byteOffsets, Long dropoutState, double[] losses,
                long nanos) implements Serializable {
}
