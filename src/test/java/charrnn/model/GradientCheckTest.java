package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.util.Rng;
import charrnn.util.Threads;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every gradient entry (before clipping) of a network against central finite differences of its loss,
 * float64, from a nonzero carried state, dropout with the same masks in every pass:
 * |analytic − numeric| <= 1e-6 · max(|analytic|, |numeric|) + 1e-9. min-char-rnn's configuration on both
 * engines (fast: the vanilla kernel), two-layer, two-stream models of every cell on both.
 */
class GradientCheckTest {
    static final int T = 4;
    static final double STEP = 1e-5;

    @ParameterizedTest(name = "{0} {1}, {2} layers, B={3}, dropout {4}, embedding {5}")
    @CsvSource({
        "FAST, RNN, 1, 1, 0, 0", "REFERENCE, RNN, 1, 1, 0, 0",   // min-char-rnn's configuration
        "REFERENCE, RNN, 2, 2, 0.3, 0", "REFERENCE, LSTM, 2, 2, 0.3, 0", "REFERENCE, GRU, 2, 2, 0.3, 0",
        "REFERENCE, RNN, 2, 2, 0.3, 3", "REFERENCE, LSTM, 2, 2, 0.3, 3", "REFERENCE, GRU, 2, 2, 0.3, 3",
        "FAST, LSTM, 2, 2, 0.3, 0", "FAST, GRU, 2, 2, 0.3, 3",
    })
    void everyEntryMatchesFiniteDifferences(Engine engine, CellType cell, int layers, int batchSize, double dropout,
                                            int embeddingSize) {
        ModelSpec spec = new ModelSpec(cell, layers, 5, 7, Precision.DOUBLE, embeddingSize);
        ParamSet params = ParamSet.init(spec, new Rng(1));
        Rng noise = new Rng(2);
        for (INDArray a : params.all()) {   // larger than the init, so that every term of the gradient matters
            for (long i = 0; i < a.length(); i++) {
                a.putScalar(i, (noise.nextDouble() - 0.5) * 0.8);
            }
        }
        int[][] windows = java.util.Arrays.copyOf(new int[][] {{0, 3, 6, 2, 5}, {1, 1, 4, 0, 6}}, batchSize);
        StreamState start = StreamState.zeros(spec, batchSize);
        for (INDArray h : start.h) {
            h.assign(0.3);
        }
        if (start.c != null) {
            for (INDArray c : start.c) {
                c.assign(-0.2);
            }
        }
        int checked = 0;
        try (Network network = Network.create(engine, params, batchSize, T, dropout, Threads.available())) {
            assertTrue(network instanceof VanillaNetwork == (engine == Engine.FAST && spec.isMinCharModel()),
                    "min-char-rnn's configuration runs on the vanilla kernel");
            ParamSet grads = params.zerosLike();
            loss(network, windows, start);
            network.backward(grads);
            for (String name : spec.paramNames()) {
                INDArray p = params.get(name);
                INDArray g = grads.get(name);
                for (long i = 0; i < p.length(); i++) {
                    double v = p.getDouble(i);
                    p.putScalar(i, v + STEP);
                    double plus = loss(network, windows, start);
                    p.putScalar(i, v - STEP);
                    double minus = loss(network, windows, start);
                    p.putScalar(i, v);
                    double numeric = (plus - minus) / (2 * STEP);
                    double analytic = g.getDouble(i);
                    double bound = 1e-6 * Math.max(Math.abs(analytic), Math.abs(numeric)) + 1e-9;
                    long at = i;
                    assertTrue(Math.abs(analytic - numeric) <= bound, () -> String.format(
                            "%s %s[%d]: analytic %.10g, numeric %.10g", cell, name, at, analytic, numeric));
                    checked++;
                }
            }
        }
        assertTrue(checked == spec.parameterCount(), "every entry checked");
    }

    /** The loss from a copy of {@code start}, with the dropout masks of a fixed random stream. */
    private static double loss(Network network, int[][] windows, StreamState start) {
        StreamState state = StreamState.zeros(network.spec(), windows.length);
        state.assign(start);
        return network.forward(windows, state, new Rng(5));
    }
}
