package charrnn.spark;

import charrnn.model.ModelSpec;
import charrnn.model.StreamState;
import java.io.Serializable;

/**
 * The state some streams carry from one window to the next, as raw values: h of every layer and c of
 * every LSTM layer, one row per stream ({@link StreamState}'s layout).
 *
 * @param h [layer] (streams, H) in C order
 * @param c [layer] (streams, H), lstm only; null otherwise
 */
record States(Block[] h, Block[] c, int streams, int hiddenSize) implements Serializable {

    static States of(StreamState state) {
        Block[] h = new Block[state.h.length];
        Block[] c = state.c == null ? null : new Block[state.c.length];
        for (int k = 0; k < h.length; k++) {
            h[k] = Block.of(state.h[k]);
            if (c != null) {
                c[k] = Block.of(state.c[k]);
            }
        }
        return new States(h, c, state.streams(), (int) state.h[0].columns());
    }

    /** The state as the engine holds it. */
    StreamState toStreamState(ModelSpec spec) {
        StreamState state = StreamState.zeros(spec, streams);
        for (int k = 0; k < h.length; k++) {
            state.h[k].assign(h[k].toArray(streams, hiddenSize));
            if (c != null) {
                state.c[k].assign(c[k].toArray(streams, hiddenSize));
            }
        }
        return state;
    }

    /** Streams [from, to). */
    States rows(int from, int to) {
        Block[] hs = new Block[h.length];
        Block[] cs = c == null ? null : new Block[c.length];
        for (int k = 0; k < h.length; k++) {
            hs[k] = h[k].rows(from, to, hiddenSize);
            if (cs != null) {
                cs[k] = c[k].rows(from, to, hiddenSize);
            }
        }
        return new States(hs, cs, to - from, hiddenSize);
    }

    /** Streams [from, from + part.streams) := part. */
    void setRows(int from, States part) {
        for (int k = 0; k < h.length; k++) {
            h[k].setRows(from, part.h[k], hiddenSize);
            if (c != null) {
                c[k].setRows(from, part.c[k], hiddenSize);
            }
        }
    }
}
