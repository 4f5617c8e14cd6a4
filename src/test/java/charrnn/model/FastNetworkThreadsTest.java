package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.testing.RandomWindows;
import charrnn.util.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fast stacked engine splits the streams between two threads; the split must not show: loss,
 * gradients, logits and carried state equal bit for bit (raw float32 values) to the same engine run on
 * one thread, over several windows with dropout. Five streams, so the parts are unequal (2 and 3).
 */
class FastNetworkThreadsTest {
    static final int B = 5;
    static final int T = 7;

    @ParameterizedTest
    @EnumSource(CellType.class)
    void twoThreadsGiveTheBitsOfOne(CellType cell) {
        ModelSpec spec = new ModelSpec(cell, 2, 16, 11, Precision.FLOAT);
        ParamSet params = ParamSet.init(spec, new Rng(3));
        FastNetwork one = new FastNetwork(params, B, T, 0.25, 1);
        FastNetwork two = new FastNetwork(params, B, T, 0.25, 2);
        assertFalse(one.usesTwoThreads());
        assertTrue(two.usesTwoThreads(), "the second thread must run (this test needs it)");
        StreamState stateOne = StreamState.zeros(spec, B);
        StreamState stateTwo = StreamState.zeros(spec, B);
        Rng dropOne = new Rng(5);
        Rng dropTwo = new Rng(5);
        Rng text = new Rng(9);
        for (int window = 0; window < 3; window++) {
            int[][] windows = RandomWindows.of(text, B, T, spec.vocabSize());
            double lossOne = one.forward(windows, stateOne, dropOne);
            double lossTwo = two.forward(windows, stateTwo, dropTwo);
            assertEquals(Double.doubleToRawLongBits(lossOne), Double.doubleToRawLongBits(lossTwo),
                    cell + " loss of window " + window + ": " + lossOne + " vs " + lossTwo);
            ParamSet gradsOne = params.zerosLike();
            ParamSet gradsTwo = params.zerosLike();
            one.backward(gradsOne);
            two.backward(gradsTwo);
            for (String name : spec.paramNames()) {
                assertArrayEquals(gradsOne.get(name).data().asFloat(), gradsTwo.get(name).data().asFloat(),
                        cell + " d" + name + " of window " + window);
            }
            for (int k = 0; k < spec.layers(); k++) {
                assertBits(stateOne.h[k], stateTwo.h[k], cell + " h of layer " + k);
                if (cell == CellType.LSTM) {
                    assertBits(stateOne.c[k], stateTwo.c[k], cell + " c of layer " + k);
                }
            }
            double[] logitsOne = new double[spec.vocabSize()];
            double[] logitsTwo = new double[spec.vocabSize()];
            one.logits(T - 1, B - 1, logitsOne);
            two.logits(T - 1, B - 1, logitsTwo);
            assertArrayEquals(logitsOne, logitsTwo, 0.0, cell + " logits");
        }
        assertEquals(dropOne.state(), dropTwo.state(), "both drew the same number of dropout draws");
        assertEquals(0, one.workerTasks());
        assertTrue(two.workerTasks() >= 3 * 2, "the second thread ran forward and backward parts: "
                + two.workerTasks());
        assertTrue(two.workerAlive());
        two.close();
        assertFalse(two.workerAlive(), "closing the network ends its thread");
    }

    private static void assertBits(INDArray expected, INDArray actual, String label) {
        assertArrayEquals(expected.data().asFloat(), actual.data().asFloat(), label);
    }
}
