package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.util.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DropoutTest {
    static final int[][] WINDOWS = {{0, 3, 6, 2, 5}, {1, 1, 4, 0, 6}};

    private static ParamSet params(CellType cell) {
        return ParamSet.init(new ModelSpec(cell, 2, 6, 7, Precision.DOUBLE), new Rng(1));
    }

    /** Loss and every gradient, as raw doubles. */
    private static double[] run(ReferenceNetwork network, Rng rng) {
        StreamState state = StreamState.zeros(network.spec(), 2);
        double loss = network.forward(WINDOWS, state, rng);
        ParamSet grads = network.params().zerosLike();
        network.backward(grads);
        double[] all = new double[1 + (int) network.spec().parameterCount() + 2 * 2 * 6];
        all[0] = loss;
        int i = 1;
        for (INDArray g : grads.all()) {
            for (double v : g.dup('c').data().asDouble()) {
                all[i++] = v;
            }
        }
        for (INDArray h : state.h) {
            for (double v : h.dup('c').data().asDouble()) {
                all[i++] = v;
            }
        }
        return all;
    }

    @Test
    void zeroDropoutIsNoDropoutBitForBit() {
        for (CellType cell : CellType.values()) {
            ParamSet params = params(cell);
            double[] without = run(new ReferenceNetwork(params, 2, 4, 0), null);
            double[] zero = run(new ReferenceNetwork(params, 2, 4, 0), new Rng(9));
            assertArrayEquals(without, zero, 0.0, cell + ": exact");
        }
    }

    @Test
    void dropoutChangesTrainingButNotScoring() {
        ParamSet params = params(CellType.LSTM);
        double[] plain = run(new ReferenceNetwork(params, 2, 4, 0), null);
        ReferenceNetwork dropping = new ReferenceNetwork(params, 2, 4, 0.5);
        double[] scored = run(dropping, null);   // scoring and sampling pass no random stream
        assertArrayEquals(plain, scored, 0.0, "without a random stream the masks are off, exactly");
        double[] trained = run(dropping, new Rng(9));
        assertTrue(trained[0] != plain[0], "with a random stream the masks change the loss");
    }

    @Test
    void masksKeepOneMinusPOfTheEntriesScaledByItsInverse() {
        double p = 0.3;
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, 200, 500);
        ReferenceNetwork.drawMask(mask, p, new Rng(4));
        double[] m = mask.data().asDouble();
        long kept = 0;
        for (double v : m) {
            if (v != 0) {
                assertEquals(1.0 / (1 - p), v, 0.0, "a kept entry is scaled by exactly 1/(1−P)");
                kept++;
            }
        }
        // binomial: mean n(1−P), standard deviation sqrt(n P (1−P)) ≈ 145 for n = 100,000
        double expected = m.length * (1 - p);
        double sigma = Math.sqrt(m.length * p * (1 - p));
        assertTrue(Math.abs(kept - expected) < 5 * sigma, "kept " + kept + " of " + m.length);
    }
}
