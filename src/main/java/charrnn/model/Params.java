package charrnn.model;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The parameters of min-char-rnn (H = hidden size, V = vocabulary size), C order except Wxh, which is
 * kept column-major: the column an input character selects (Wxh x for a one-hot x) is then contiguous,
 * to read, to add a gradient into and to update.
 */
@SuppressWarnings("checkstyle:MemberName")
public final class Params {
    public final INDArray Wxh; // (H, V) input to hidden, column-major
    public final INDArray Whh; // (H, H) hidden to hidden
    public final INDArray Why; // (V, H) hidden to output
    public final INDArray bh;  // (H, 1) hidden bias
    public final INDArray by;  // (V, 1) output bias

    public Params(INDArray Wxh, INDArray Whh, INDArray Why, INDArray bh, INDArray by) {
        long h = Wxh.rows();
        long v = Wxh.columns();
        requireShape("Wxh", Wxh, h, v);
        requireShape("Whh", Whh, h, h);
        requireShape("Why", Why, v, h);
        requireShape("bh", bh, h, 1);
        requireShape("by", by, v, 1);
        for (INDArray a : List.of(Whh, Why, bh, by)) {
            if (a.dataType() != Wxh.dataType()) {
                throw new IllegalArgumentException("all parameters must have one data type, got "
                        + Wxh.dataType() + " and " + a.dataType());
            }
        }
        this.Wxh = columnMajor(Wxh);
        this.Whh = Whh;
        this.Why = Why;
        this.bh = bh;
        this.by = by;
    }

    /** {@code a} itself when it is a column-major array with its own buffer, else such a copy. */
    static INDArray columnMajor(INDArray a) {
        return a.ordering() == 'f' && !a.isView() && a.offset() == 0 && a.elementWiseStride() == 1 ? a : a.dup('f');
    }

    /** min-char-rnn's init: weights N(0,1)·0.01 drawn in the order Wxh, Whh, Why; biases zero. */
    public static Params gaussian(int hiddenSize, int vocabSize, DataType dtype, Rng rng) {
        return new Params(
                gaussianMatrix(hiddenSize, vocabSize, dtype, rng),
                gaussianMatrix(hiddenSize, hiddenSize, dtype, rng),
                gaussianMatrix(vocabSize, hiddenSize, dtype, rng),
                Nd4j.zeros(dtype, hiddenSize, 1),
                Nd4j.zeros(dtype, vocabSize, 1));
    }

    private static INDArray gaussianMatrix(int rows, int cols, DataType dtype, Rng rng) {
        double[] w = new double[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextGaussian() * 0.01;
        }
        return Nd4j.create(w, new long[] {rows, cols}, DataType.DOUBLE).castTo(dtype);
    }

    public int hiddenSize() {
        return (int) Wxh.rows();
    }

    public int vocabSize() {
        return (int) Wxh.columns();
    }

    public DataType dataType() {
        return Wxh.dataType();
    }

    /** Wxh, Whh, Why, bh, by: the order of the equations and of min-char-rnn's update loop. */
    public List<INDArray> all() {
        return List.of(Wxh, Whh, Why, bh, by);
    }

    static void requireShape(String name, INDArray a, long rows, long cols) {
        if (a.rank() != 2 || a.rows() != rows || a.columns() != cols) {
            throw new IllegalArgumentException(String.format("%s must be %d×%d, got %s",
                    name, rows, cols, java.util.Arrays.toString(a.shape())));
        }
    }
}
