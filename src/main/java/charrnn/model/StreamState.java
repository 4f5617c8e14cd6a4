package charrnn.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The state a stack of layers carries from one window to the next, for each of B streams: h of every
 * layer, and c of every LSTM layer. Row s of each array is stream s.
 */
public final class StreamState {
    public final INDArray[] h;   // [layer] (B, H)
    public final INDArray[] c;   // [layer] (B, H), lstm only; null otherwise

    private StreamState(INDArray[] h, INDArray[] c) {
        this.h = h;
        this.c = c;
    }

    /** Zero state for {@code streams} streams. */
    public static StreamState zeros(ModelSpec spec, int streams) {
        INDArray[] h = new INDArray[spec.layers()];
        INDArray[] c = spec.cell() == CellType.LSTM ? new INDArray[spec.layers()] : null;
        for (int k = 0; k < spec.layers(); k++) {
            h[k] = Nd4j.zeros(spec.precision().dataType(), streams, spec.hiddenSize());
            if (c != null) {
                c[k] = Nd4j.zeros(spec.precision().dataType(), streams, spec.hiddenSize());
            }
        }
        return new StreamState(h, c);
    }

    public int streams() {
        return (int) h[0].rows();
    }

    /** Every stream back to zero (the wrap rule). */
    public void reset() {
        for (int k = 0; k < h.length; k++) {
            h[k].assign(0.0);
            if (c != null) {
                c[k].assign(0.0);
            }
        }
    }

    /** Stream {@code to} of this state := stream {@code from} of {@code other} (same model). */
    public void copyStream(StreamState other, int from, int to) {
        for (int k = 0; k < h.length; k++) {
            h[k].getRow(to).assign(other.h[k].getRow(from));
            if (c != null) {
                c[k].getRow(to).assign(other.c[k].getRow(from));
            }
        }
    }

    /** This state := {@code other} (same model, same number of streams). */
    public void assign(StreamState other) {
        for (int k = 0; k < h.length; k++) {
            h[k].assign(other.h[k]);
            if (c != null) {
                c[k].assign(other.c[k]);
            }
        }
    }
}
