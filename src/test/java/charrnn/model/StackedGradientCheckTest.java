package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every gradient entry of a two-layer, two-stream model (float64, dropout 0.3 with the same masks in
 * every pass, a nonzero carried state) against central finite differences of the loss:
 * |analytic − numeric| <= 1e-6 · max(|analytic|, |numeric|) + 1e-9.
 */
class StackedGradientCheckTest {
    static final int B = 2;
    static final int T = 4;
    static final double STEP = 1e-5;

    @ParameterizedTest(name = "{0}, embedding {1}")
    @CsvSource({"RNN, 0", "LSTM, 0", "GRU, 0", "RNN, 3", "LSTM, 3", "GRU, 3"})
    void everyEntryMatchesFiniteDifferences(CellType cell, int embeddingSize) {
        ModelSpec spec = new ModelSpec(cell, 2, 5, 7, Precision.DOUBLE, embeddingSize);
        ParamSet params = ParamSet.init(spec, new Rng(1));
        Rng noise = new Rng(2);
        for (INDArray a : params.all()) {   // larger than the init, so that every term of the gradient matters
            for (long i = 0; i < a.length(); i++) {
                a.putScalar(i, (noise.nextDouble() - 0.5) * 0.8);
            }
        }
        int[][] windows = {{0, 3, 6, 2, 5}, {1, 1, 4, 0, 6}};
        StackedNetwork network = new StackedNetwork(params, B, T, 0.3);
        StreamState start = StreamState.zeros(spec, B);
        for (INDArray h : start.h) {
            h.assign(0.3);
        }
        if (start.c != null) {
            for (INDArray c : start.c) {
                c.assign(-0.2);
            }
        }
        ParamSet grads = params.zerosLike();
        loss(network, windows, start);
        network.backward(grads);

        int checked = 0;
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
        assertTrue(checked == spec.parameterCount(), "every entry checked");
    }

    /** The loss from a copy of {@code start}, with the dropout masks of a fixed random stream. */
    private static double loss(StackedNetwork network, int[][] windows, StreamState start) {
        StreamState state = StreamState.zeros(network.spec(), B);
        state.assign(start);
        return network.forward(windows, state, new Rng(5));
    }
}
