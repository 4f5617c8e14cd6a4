package charrnn.model;

import charrnn.util.Rng;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Named arrays in {@link ModelSpec#paramNames()} order: the parameters of a model, or their gradients,
 * or one slot of an optimizer's state. Matrices are (out, in), C order except where
 * {@link ModelSpec#columnMajor} says otherwise; vectors are kept as (1, n) rows, so that adding a bias to a
 * batch of rows is one broadcast.
 */
public final class ParamSet {
    private final ModelSpec spec;
    private final Map<String, INDArray> arrays;

    /** Takes {@code arrays} (C order), each converted to its layout. */
    private ParamSet(ModelSpec spec, Map<String, INDArray> arrays) {
        this.spec = spec;
        arrays.replaceAll((name, a) -> spec.columnMajor(name) ? columnMajor(a) : a);
        this.arrays = Collections.unmodifiableMap(arrays);
    }

    /** {@code a} itself when it is a column-major array with its own buffer, else such a copy. */
    private static INDArray columnMajor(INDArray a) {
        return a.ordering() == 'f' && !a.isView() && a.offset() == 0 && a.elementWiseStride() == 1 ? a : a.dup('f');
    }

    /** Zeros of every parameter's shape. */
    public static ParamSet zeros(ModelSpec spec) {
        return new ParamSet(spec, zerosInCOrder(spec));
    }

    private static Map<String, INDArray> zerosInCOrder(ModelSpec spec) {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (String name : spec.paramNames()) {
            long[] s = spec.shape(name);
            arrays.put(name, Nd4j.zeros(spec.precision().dataType(), s.length == 1 ? 1 : s[0], s[s.length - 1]));
        }
        return arrays;
    }

    /**
     * Takes the given arrays (matrices of the parameter's shape, vectors of length n in any shape), in any
     * order; every parameter must be there, converted to the spec's dtype and layout (an array that already
     * is a matrix of that shape, dtype and layout is taken as it is, not copied).
     */
    public static ParamSet of(ModelSpec spec, Map<String, INDArray> given) {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (String name : spec.paramNames()) {
            INDArray a = given.get(name);
            if (a == null) {
                throw new IllegalArgumentException("missing parameter " + name);
            }
            long[] s = spec.shape(name);
            long[] want = {s.length == 1 ? 1 : s[0], s[s.length - 1]};
            char order = spec.columnMajor(name) ? 'f' : 'c';
            if (a.dataType() == spec.precision().dataType() && a.ordering() == order && !a.isView()
                    && java.util.Arrays.equals(a.shape(), want)) {
                arrays.put(name, a);   // already what the set holds (as a checkpoint reads it): no copy
                continue;
            }
            INDArray target = Nd4j.zeros(spec.precision().dataType(), want[0], want[1]);
            arrays.put(name, target);
            if (a.length() != target.length() || (spec.shape(name).length == 2 && (a.rank() != 2
                    || a.rows() != target.rows() || a.columns() != target.columns()))) {
                throw new IllegalArgumentException(String.format("%s must be %s, got %s", name,
                        java.util.Arrays.toString(spec.shape(name)), java.util.Arrays.toString(a.shape())));
            }
            target.assign(a.reshape('c', target.shape()).castTo(target.dataType()));
        }
        return new ParamSet(spec, arrays);
    }

    private static final int INIT_CHUNK = 1 << 16;

    /**
     * The initial parameters of a run. rnn: min-char-rnn's, weights N(0,1)·0.01 drawn in the order of the
     * parameter list (so one layer draws Wxh, Whh, Why exactly as min-char-rnn), biases zero. lstm and gru:
     * char-rnn's uniform(−0.08, 0.08) for the weights, biases zero, the LSTM forget gate's too (a forget bias
     * of 1, char-rnn's choice, learned less per iteration on the README's 10-minute command: held-out 1.534
     * against 1.506 after 2,000 iterations, bench/learning.sh's settings without decay). An embedding
     * {@code emb}, first in the list, is drawn from N(0, 1), as PyTorch's {@code nn.Embedding}.
     */
    public static ParamSet init(ModelSpec spec, Rng rng) {
        Map<String, INDArray> arrays = zerosInCOrder(spec);   // drawn in C order, then each in its layout
        for (String name : spec.paramNames()) {
            INDArray a = arrays.get(name);
            if (spec.shape(name).length == 1) {
                continue;                                     // biases start at zero
            }
            // drawn in C order a chunk at a time (the Java heap never holds a whole matrix of a large model)
            INDArray flat = a.reshape(a.length());
            for (long from = 0; from < a.length(); from += INIT_CHUNK) {
                double[] w = new double[(int) Math.min(INIT_CHUNK, a.length() - from)];
                for (int i = 0; i < w.length; i++) {
                    w[i] = name.equals(ModelSpec.EMB) ? rng.nextGaussian()
                            : spec.cell() == CellType.RNN ? rng.nextGaussian() * 0.01
                            : (rng.nextDouble() * 2 - 1) * 0.08;
                }
                flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + w.length))
                        .assign(Nd4j.createFromArray(w));
            }
        }
        return new ParamSet(spec, arrays);
    }

    /** Zeros shaped like this set. */
    public ParamSet zerosLike() {
        return zeros(spec);
    }

    /** An independent copy. */
    public ParamSet copy() {
        Map<String, INDArray> copies = new LinkedHashMap<>();
        arrays.forEach((name, a) -> copies.put(name, a.dup(a.ordering())));
        return new ParamSet(spec, copies);
    }

    public INDArray get(String name) {
        INDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return a;
    }

    public List<String> names() {
        return List.copyOf(arrays.keySet());
    }

    /** The arrays in parameter order. */
    public List<INDArray> all() {
        return List.copyOf(arrays.values());
    }

    public ModelSpec spec() {
        return spec;
    }
}
