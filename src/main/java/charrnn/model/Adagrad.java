package charrnn.model;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adagrad (Duchi, Hazan and Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic
 * Optimization", JMLR 2011) as min-char-rnn applies it:
 * {@code mem += d²; param -= lr · d / sqrt(mem + 1e-8)}, the epsilon inside the square root.
 */
@SuppressWarnings("checkstyle:MemberName")
public final class Adagrad {
    public static final double EPSILON = 1e-8;

    private final double learningRate;
    public final INDArray mWxh; // (H, V) running sum of dWxh², column-major as Wxh
    public final INDArray mWhh; // (H, H)
    public final INDArray mWhy; // (V, H)
    public final INDArray mbh;  // (H, 1)
    public final INDArray mby;  // (V, 1)

    /** Fresh memories (zeros) shaped like {@code params}. */
    public Adagrad(Params params, double learningRate) {
        this(learningRate, Nd4j.zerosLike(params.Wxh), Nd4j.zerosLike(params.Whh), Nd4j.zerosLike(params.Why),
                Nd4j.zerosLike(params.bh), Nd4j.zerosLike(params.by));
    }

    /** Memories from a saved run. */
    public Adagrad(double learningRate, INDArray mWxh, INDArray mWhh, INDArray mWhy, INDArray mbh, INDArray mby) {
        this.learningRate = learningRate;
        this.mWxh = Params.columnMajor(mWxh);
        this.mWhh = mWhh;
        this.mWhy = mWhy;
        this.mbh = mbh;
        this.mby = mby;
    }

    public double learningRate() {
        return learningRate;
    }

    /** mWxh, mWhh, mWhy, mbh, mby: the order of {@link Params#all()}. */
    public List<INDArray> all() {
        return List.of(mWxh, mWhh, mWhy, mbh, mby);
    }

    /** One step on every parameter, in place. */
    public void update(Params params, Gradients grads) {
        List<INDArray> ps = params.all();
        List<INDArray> ds = grads.all();
        List<INDArray> ms = all();
        for (int i = 0; i < ps.size(); i++) {
            INDArray param = ps.get(i);
            INDArray d = ds.get(i);
            step(param, d, ms.get(i), learningRate);
        }
    }

    /** One step on one array, in place: {@code mem += d²; param -= lr · d / sqrt(mem + 1e-8)}. */
    public static void step(INDArray param, INDArray d, INDArray mem, double learningRate) {
        mem.addi(d.mul(d));
        // param += -lr · d / sqrt(mem + eps)
        param.addi(d.mul(-learningRate).divi(Transforms.sqrt(mem.add(EPSILON), false)));
    }
}
