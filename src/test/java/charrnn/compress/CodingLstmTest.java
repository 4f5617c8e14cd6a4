package charrnn.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The coding model's gradients against central differences of its own loss, and its probabilities' sum. */
class CodingLstmTest {
    @Test
    void gradientsMatchCentralDifferences() {
        int steps = 5;
        CodingLstm model = new CodingLstm(3, 4, 2, steps, 0.01, 7, 1);
        Random r = new Random(5);
        int[][] bytes = new int[steps + 1][2];
        for (int[] row : bytes) {
            row[0] = r.nextInt(256);
            row[1] = r.nextInt(256);
        }
        double loss = window(model, bytes, steps);
        model.backward(steps);
        float[] grad = model.grad().clone();
        int checked = 0;
        for (int k = 0; k < 400; k++) {
            int i = r.nextInt(model.parameterCount());
            float saved = model.theta[i];
            float eps = 1e-2f;
            model.theta[i] = saved + eps;
            double plus = window(model, bytes, steps);
            model.theta[i] = saved - eps;
            double minus = window(model, bytes, steps);
            model.theta[i] = saved;
            double numeric = (plus - minus) / (2 * eps);
            assertEquals(numeric, grad[i], 2e-3 + 2e-2 * Math.abs(numeric), "parameter " + i);
            checked += grad[i] != 0 ? 1 : 0;
        }
        assertTrue(checked > 40, "nonzero gradients checked: " + checked);
        assertTrue(loss > 4 && loss < 7, "the loss of an untrained byte model, about ln 256: " + loss);
    }

    @Test
    void scoresAreTheLogProbabilitiesTheLossUses() {
        CodingLstm model = new CodingLstm(8, 16, 1, 4, 0.01, 1, 1);
        float[] p = new float[CodingLstm.V];
        Lanes.softmax(model.forward(0, 0, 65), p, CodingLstm.V);
        double sum = 0;
        for (float q : p) {
            assertTrue(q > 0);
            sum += q;
        }
        assertEquals(1.0, sum, 1e-5);
        model.coded(0, 0, 66);
        assertEquals(-Math.log(p[66]), model.loss(1), 1e-6, "the loss of byte 66 from the scores' softmax");
    }

    /** Steps [0, steps) of both streams on bytes[t] → bytes[t + 1], from the zero state; the mean loss. */
    private static double window(CodingLstm model, int[][] bytes, int steps) {
        for (int t = 0; t < steps; t++) {
            for (int s = 0; s < 2; s++) {
                model.forward(t, s, bytes[t][s]);
                model.coded(t, s, bytes[t + 1][s]);
            }
        }
        return model.loss(steps);
    }
}
