package charrnn.model;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Gradients of one window's loss with respect to each parameter; same shapes as {@link Params}. */
@SuppressWarnings("checkstyle:MemberName")
public final class Gradients {
    public final INDArray dWxh; // (H, V) column-major, as Wxh
    public final INDArray dWhh; // (H, H)
    public final INDArray dWhy; // (V, H)
    public final INDArray dbh;  // (H, 1)
    public final INDArray dby;  // (V, 1)

    /** Zero gradients shaped like {@code params}. */
    public Gradients(Params params) {
        this.dWxh = Params.columnMajor(Nd4j.zerosLike(params.Wxh));
        this.dWhh = Nd4j.zerosLike(params.Whh);
        this.dWhy = Nd4j.zerosLike(params.Why);
        this.dbh = Nd4j.zerosLike(params.bh);
        this.dby = Nd4j.zerosLike(params.by);
    }

    /** Clips every entry to [-limit, limit] in place (min-char-rnn's guard against exploding gradients). */
    public void clip(double limit) {
        for (INDArray d : all()) {
            clip(d, limit);
        }
    }

    /** Clips every entry of {@code d} to [-limit, limit] in place. */
    public static void clip(INDArray d, double limit) {
        Transforms.min(d, limit, false);
        Transforms.max(d, -limit, false);
    }

    /** dWxh, dWhh, dWhy, dbh, dby: the order of {@link Params#all()}. */
    public List<INDArray> all() {
        return List.of(dWxh, dWhh, dWhy, dbh, dby);
    }
}
