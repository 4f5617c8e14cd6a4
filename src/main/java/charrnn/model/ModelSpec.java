package charrnn.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a model: what a checkpoint must record to rebuild it. Parameters: with an embedding
 * (E > 0), {@code emb} (V, E), whose row c is the input of layer 0 for character c; then per layer
 * k = 0..L-1: {@code lk.Wx} (G·H, in) with in = E (or V, one-hot, when E = 0) for k = 0 and H above,
 * {@code lk.Wh} (G·H, H), {@code lk.b} (G·H), for gru also {@code lk.bn} (H); then the decoder
 * {@code Why} (V, H) and {@code by} (V). G is the cell's number of gates. Matrices are (out, in):
 * {@code Wx x} is a product with a column vector.
 *
 * @param embeddingSize E, the width of the learned input embedding; 0: layer 0 reads the one-hot character
 */
public record ModelSpec(CellType cell, int layers, int hiddenSize, int vocabSize, Precision precision,
                        int embeddingSize) {

    public ModelSpec {
        if (cell == null || precision == null) {
            throw new IllegalArgumentException("a model needs a cell and a dtype");
        }
        if (layers < 1 || hiddenSize < 1 || vocabSize < 1) {
            throw new IllegalArgumentException("layers, hidden size and vocabulary size must be positive");
        }
        if (embeddingSize < 0) {
            throw new IllegalArgumentException("the embedding size must be 0 (one-hot input) or positive");
        }
    }

    /** A model whose layer 0 reads the one-hot character (no embedding). */
    public ModelSpec(CellType cell, int layers, int hiddenSize, int vocabSize, Precision precision) {
        this(cell, layers, hiddenSize, vocabSize, precision, 0);
    }

    /** Whether this is min-char-rnn's model: one vanilla RNN layer reading one-hot characters. */
    public boolean isMinCharModel() {
        return isMinCharModel(cell, layers, embeddingSize);
    }

    /** min-char-rnn's model: one rnn layer reading one-hot characters (any H and V). */
    public static boolean isMinCharModel(CellType cell, int layers, int embeddingSize) {
        return cell == CellType.RNN && layers == 1 && embeddingSize == 0;
    }

    /**
     * Whether parameter {@code name} is kept column-major: min-char-rnn's {@code l0.Wx}, where the column
     * an input character selects (Wx x for a one-hot x) is then contiguous, to read, to add a gradient into
     * and to update (the vanilla kernel's layout). Every other array is C order.
     */
    public boolean columnMajor(String name) {
        return isMinCharModel() && name.equals("l0.Wx");
    }

    /** Whether layer 0 reads a learned embedding row rather than a one-hot vector. */
    public boolean embedded() {
        return embeddingSize > 0;
    }

    /** The width of layer 0's input: E with an embedding, V for one-hot characters. */
    public int inputSize() {
        return embedded() ? embeddingSize : vocabSize;
    }

    /** The embedding's name (V, E): the name of the array in checkpoints, as of every parameter below. */
    public static final String EMB = "emb";
    /** The decoder's weights (V, H). */
    public static final String WHY = "Why";
    /** The decoder's bias (V). */
    public static final String BY = "by";

    /** Layer k's input weights Wx (G·H, in). */
    public static String wx(int k) {
        return "l" + k + ".Wx";
    }

    /** Layer k's recurrent weights Wh (G·H, H). */
    public static String wh(int k) {
        return "l" + k + ".Wh";
    }

    /** Layer k's bias b (G·H). */
    public static String b(int k) {
        return "l" + k + ".b";
    }

    /** Layer k's gru bias of the n gate's recurrent side, bn (H). */
    public static String bn(int k) {
        return "l" + k + ".bn";
    }

    /** Parameter names in their fixed order: emb (if any), layer by layer (Wx, Wh, b, gru's bn), then Why, by. */
    public List<String> paramNames() {
        List<String> names = new ArrayList<>();
        if (embedded()) {
            names.add(EMB);
        }
        for (int k = 0; k < layers; k++) {
            names.add(wx(k));
            names.add(wh(k));
            names.add(b(k));
            if (cell == CellType.GRU) {
                names.add(bn(k));
            }
        }
        names.add(WHY);
        names.add(BY);
        return names;
    }

    /** The shape of a parameter: {rows, cols} for a matrix, {length} for a vector. */
    public long[] shape(String name) {
        long gh = (long) cell.gates * hiddenSize;
        if (name.equals(WHY)) {
            return new long[] {vocabSize, hiddenSize};
        }
        if (name.equals(BY)) {
            return new long[] {vocabSize};
        }
        if (name.equals(EMB) && embedded()) {
            return new long[] {vocabSize, embeddingSize};
        }
        int k = layerOf(name);
        return switch (name.substring(name.indexOf('.') + 1)) {
            case "Wx" -> new long[] {gh, k == 0 ? inputSize() : hiddenSize};
            case "Wh" -> new long[] {gh, hiddenSize};
            case "b" -> new long[] {gh};
            case "bn" -> new long[] {hiddenSize};
            default -> throw new IllegalArgumentException("no parameter " + name);
        };
    }

    /**
     * Number of trainable values, in floating point: exact up to 2^53, and a model asked for with absurd
     * sizes (whose count would wrap around in long arithmetic) still gets a figure of the right size.
     */
    public double parameterCountEstimate() {
        double h = hiddenSize;
        double gh = (double) cell.gates * h;
        double biases = gh + (cell == CellType.GRU ? h : 0);
        double embedding = (double) vocabSize * embeddingSize;
        double first = gh * inputSize() + gh * h + biases; // layer 0 reads the embedding or the one-hot input
        double above = gh * h + gh * h + biases;           // layers 1..L-1 read the layer below
        return embedding + first + (layers - 1.0) * above + (double) vocabSize * h + vocabSize;
    }

    /** Number of trainable values (of a model that fits in memory: see {@link #parameterCountEstimate()}). */
    public long parameterCount() {
        long n = 0;
        for (String name : paramNames()) {
            long size = 1;
            for (long d : shape(name)) {
                size *= d;
            }
            n += size;
        }
        return n;
    }

    private int layerOf(String name) {
        if (!name.startsWith("l") || name.indexOf('.') < 2) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        int k;
        try {
            k = Integer.parseInt(name.substring(1, name.indexOf('.')));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        if (k < 0 || k >= layers) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return k;
    }
}
