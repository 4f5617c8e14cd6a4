package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.testing.Exact;
import charrnn.testing.RandomWindows;
import charrnn.util.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast network splits the streams over N threads, and the whole-window products and sums over them;
 * the split must not show: loss, gradients, logits and carried state equal bit for bit (raw values) to
 * the same network on one thread, for N = 2, 3 and 4, over several windows with dropout. Five streams,
 * so that the parts are unequal (2 and 3; 1, 2 and 2; 1, 1, 1 and 2), and a window of 26·5 = 130 rows,
 * so that the products of T·B rows have four tiles (and those of G·H = 64 rows of an lstm two).
 */
class FastNetworkThreadsTest {
    static final int B = 5;
    static final int T = 26;

    static Stream<Arguments> models() {
        List<Arguments> models = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            models.add(Arguments.of(cell, 0, Precision.FLOAT));      // one-hot layer 0
            models.add(Arguments.of(cell, 6, Precision.FLOAT));      // an embedding
        }
        models.add(Arguments.of(CellType.LSTM, 6, Precision.DOUBLE));
        return models.stream();
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyThreadCountGivesTheBitsOfOne(CellType cell, int embedding, Precision precision) {
        ModelSpec spec = new ModelSpec(cell, 2, 16, 11, precision, embedding);
        ParamSet params = ParamSet.init(spec, new Rng(3));
        List<double[]> one = run(params, 1);
        for (int threads = 2; threads <= 4; threads++) {
            List<double[]> many = run(params, threads);
            assertEquals(one.size(), many.size());
            for (int i = 0; i < one.size(); i++) {
                assertArrayEquals(one.get(i), many.get(i), cell + " E=" + embedding + " " + precision + ", "
                        + threads + " threads: value " + i + " of the run differs from one thread's");
            }
        }
    }

    /** Three windows' losses, gradients, carried states and last logits, and the dropout stream's state. */
    private static List<double[]> run(ParamSet params, int threads) {
        ModelSpec spec = params.spec();
        List<double[]> values = new ArrayList<>();
        try (FastNetwork net = new FastNetwork(params, B, T, 0.25, threads)) {
            assertEquals(threads, net.threads());
            StreamState state = StreamState.zeros(spec, B);
            Rng drop = new Rng(5);
            Rng text = new Rng(9);
            for (int window = 0; window < 3; window++) {
                int[][] windows = RandomWindows.of(text, B, T, spec.vocabSize());
                values.add(new double[] {net.forward(windows, state, drop)});
                ParamSet grads = params.zerosLike();
                net.backward(grads);
                for (String name : spec.paramNames()) {
                    values.add(Exact.raw(grads.get(name)));
                }
                for (int k = 0; k < spec.layers(); k++) {
                    values.add(Exact.raw(state.h[k]));
                    if (state.c != null) {
                        values.add(Exact.raw(state.c[k]));
                    }
                }
                double[] logits = new double[spec.vocabSize()];
                net.logits(T - 1, B - 1, logits);
                values.add(logits);
            }
            values.add(new double[] {drop.state() >>> 32, drop.state() & 0xffffffffL});   // exact as doubles
            if (threads > 1) {
                assertTrue(net.workerTasks() >= 3L * 2 * (threads - 1), "the workers ran: " + net.workerTasks());
                assertTrue(net.workerAlive());
            }
            net.close();
            assertFalse(net.workerAlive(), "closing the network ends its threads");
        }
        return values;
    }

    @Test
    void aThreadCountOutsideOneTo1024IsRefused() {
        ParamSet params = ParamSet.init(new ModelSpec(CellType.GRU, 1, 8, 5, Precision.FLOAT), new Rng(1));
        assertThrows(IllegalArgumentException.class, () -> new FastNetwork(params, 2, 3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new FastNetwork(params, 2, 3, 0, 1025));
    }
}
