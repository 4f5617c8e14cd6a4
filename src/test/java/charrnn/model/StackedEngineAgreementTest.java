package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.optim.LossNormalization;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import charrnn.testing.Close;
import charrnn.train.TrainingStep;
import charrnn.util.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fast engine against the reference engine in float32, the deep models' default type, where the
 * fixtures (float64) do not reach: two layers, three streams, dropout, Adam. Tolerances: the first
 * iteration's gradients within 1e-4 · max|reference| per array (float32 rounds at 6e-8 of each value, and
 * the engines sum in different orders); every loss of 15 iterations within 1e-5 relative. (Parameters are
 * not compared after many steps: Adam turns a float32 difference in a near-zero gradient into a whole
 * step of lr, as Adagrad does for min-char-rnn.) With an embedding, layer 0 reads its rows and the loss
 * is the mean over B·T characters.
 */
class StackedEngineAgreementTest {
    static final int B = 3;
    static final int T = 6;

    @ParameterizedTest(name = "{0}, embedding {1}")
    @CsvSource({"RNN, 0", "LSTM, 0", "GRU, 0", "RNN, 5", "LSTM, 5", "GRU, 5"})
    void fastMatchesReferenceInFloat32(CellType cell, int embeddingSize) {
        ModelSpec spec = new ModelSpec(cell, 2, 12, 9, Precision.FLOAT, embeddingSize);
        ParamSet init = ParamSet.init(spec, new Rng(4));
        TrainingStep reference = learner(Engine.REFERENCE, init.copy(), spec);
        TrainingStep fast = learner(Engine.FAST, init.copy(), spec);
        assertTrue(spec.paramNames().contains("emb") == (embeddingSize > 0));
        Rng text = new Rng(8);
        for (int n = 0; n < 15; n++) {
            int[][] windows = new int[B][T + 1];
            for (int[] w : windows) {
                for (int t = 0; t <= T; t++) {
                    w[t] = (int) (text.nextDouble() * spec.vocabSize());
                }
            }
            if (n == 0) {
                TrainingStep r = learner(Engine.REFERENCE, init.copy(), spec);
                TrainingStep f = learner(Engine.FAST, init.copy(), spec);
                r.lossAndGradients(windows);
                f.lossAndGradients(windows);
                for (String name : spec.paramNames()) {
                    assertNormClose(cell + " d" + name, r.grads().get(name), f.grads().get(name), 1e-4);
                }
            }
            double a = reference.train(windows);
            double b = fast.train(windows);
            int at = n;
            assertTrue(Math.abs(a - b) <= 1e-5 * Math.abs(a), () -> cell + " loss at " + at + ": " + a + " vs " + b);
        }
    }

    /** Norm-wise close ({@link Close}), and not vacuously: the reference's gradient is not all zero. */
    private static void assertNormClose(String label, INDArray expected, INDArray actual, double rtol) {
        assertTrue(expected.amaxNumber().doubleValue() > 0, label + ": an all-zero gradient");
        Close.assertNormClose(label, expected, actual, rtol);
    }

    private static TrainingStep learner(Engine kind, ParamSet params, ModelSpec spec) {
        Network network = Network.create(kind, params, B, T, 0.25);
        return new TrainingStep(network, Optimizer.create(OptimizerConfig.of(OptimizerConfig.Kind.ADAM, 0.01), params),
                StreamState.zeros(spec, B), 5.0, new Rng(11),
                spec.embedded() ? LossNormalization.MEAN : LossNormalization.SUM);
    }
}
