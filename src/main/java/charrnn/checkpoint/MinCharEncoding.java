package charrnn.checkpoint;

import charrnn.model.Adagrad;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.Params;
import charrnn.model.StreamState;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Format version 1 as an encoding of the one model: min-char-rnn's configuration (one rnn layer reading
 * one-hot characters, one stream, Adagrad) saved under min-char-rnn's names, {@code Wxh, Whh, Why, bh, by}
 * for the model's {@code l0.Wx, l0.Wh, Why, l0.b, by}, vectors as (n, 1) columns, the Adagrad memories as
 * {@code mWxh …} and the stream's hidden state as {@code hprev} (H, 1).
 */
public final class MinCharEncoding {
    /** The model's parameter names in min-char-rnn's order (Wxh, Whh, Why, bh, by). */
    public static final List<String> MODEL_NAMES = List.of("l0.Wx", "l0.Wh", "Why", "l0.b", "by");

    private MinCharEncoding() {
    }

    /** The version 1 view of a run (its arrays themselves, not copies). */
    public static Checkpoint encode(ParamSet params, Optimizer optimizer, StreamState state, CheckpointMeta meta) {
        requireMinChar(params.spec(), optimizer.config().kind(), state.streams());
        return new Checkpoint(params(params), adagrad(optimizer), column(state.h[0]), meta);
    }

    /** The parameters of a version 1 run as the model's (the arrays themselves where their layout allows). */
    public static ParamSet params(ModelSpec spec, Params params) {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        List<INDArray> all = params.all();
        for (int i = 0; i < all.size(); i++) {
            arrays.put(MODEL_NAMES.get(i), all.get(i));
        }
        return ParamSet.of(spec, arrays);
    }

    /** The Adagrad of a version 1 run (memories as the model's arrays) with the given learning rate. */
    public static Optimizer optimizer(ModelSpec spec, Checkpoint checkpoint, double learningRate) {
        Adagrad adagrad = checkpoint.adagrad();
        Map<String, INDArray> memories = new LinkedHashMap<>();
        List<INDArray> all = adagrad.all();
        for (int i = 0; i < all.size(); i++) {
            memories.put(MODEL_NAMES.get(i), all.get(i));
        }
        return Optimizer.restore(OptimizerConfig.of(OptimizerConfig.Kind.ADAGRAD, learningRate),
                Map.of("mem", ParamSet.of(spec, memories)), 0);
    }

    /** The state of the one stream of a version 1 run. */
    public static StreamState state(ModelSpec spec, Checkpoint checkpoint) {
        StreamState state = StreamState.zeros(spec, 1);
        state.h[0].assign(checkpoint.hprev().reshape(1, spec.hiddenSize()));
        return state;
    }

    private static Params params(ParamSet set) {
        return new Params(set.get("l0.Wx"), set.get("l0.Wh"), set.get("Why"), column(set.get("l0.b")),
                column(set.get("by")));
    }

    private static Adagrad adagrad(Optimizer optimizer) {
        ParamSet mem = optimizer.state().get("mem");
        return new Adagrad(optimizer.config().learningRate(), mem.get("l0.Wx"), mem.get("l0.Wh"), mem.get("Why"),
                column(mem.get("l0.b")), column(mem.get("by")));
    }

    /** A (1, n) row as the (n, 1) column version 1 stores, sharing its memory. */
    private static INDArray column(INDArray row) {
        return row.reshape('c', row.length(), 1);
    }

    private static void requireMinChar(ModelSpec spec, OptimizerConfig.Kind optimizer, int streams) {
        if (!spec.isMinChar() || optimizer != OptimizerConfig.Kind.ADAGRAD || streams != 1) {
            throw new IllegalArgumentException("format version 1 holds min-char-rnn's configuration only");
        }
    }
}
