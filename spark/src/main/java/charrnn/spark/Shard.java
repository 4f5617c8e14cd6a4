package charrnn.spark;

import java.io.Serializable;

/**
 * One worker's part of a round: its streams [from, to) of the B, where they stand, the state they carry,
 * its dropout stream, and which iterations the round runs.
 *
 * @param byteOffsets  file offset of each of its streams' next window
 * @param dropoutState the state of its dropout masks' random stream; null without dropout
 * @param first        the round's first iteration (0-based, counted over the whole run)
 * @param minutes      the run's training minutes at the round's start (for --lr-decay with --max-minutes)
 */
record Shard(int round, int worker, int from, int to, long position, long[] byteOffsets, States state,
             Long dropoutState, long first, int iterations, double minutes) implements Serializable {
}
