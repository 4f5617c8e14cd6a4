package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TanhTest {
    @Test
    void withinThreeUlpOfStrictMathEverywhere() {
        Rng rng = new Rng(99);
        double worst = 0;
        for (int i = 0; i < 300_000; i++) {
            double scale = switch (i % 4) {
                case 0 -> 1e-6;
                case 1 -> 0.3;     // below the switch between formulas
                case 2 -> 2.0;
                default -> 30.0;   // saturated
            };
            double x = scale * rng.nextGaussian();
            double expected = StrictMath.tanh(x);
            worst = Math.max(worst, Math.abs(BlasEngine.tanh(x) - expected) / Math.ulp(expected));
        }
        double w = worst;
        assertTrue(w <= 3, () -> "worst error " + w + " ulp");
        assertEquals(0.0, BlasEngine.tanh(0.0));
        assertEquals(1.0, BlasEngine.tanh(800));
        assertEquals(-1.0, BlasEngine.tanh(-800));
        assertEquals(StrictMath.tanh(0.55), BlasEngine.tanh(0.55), 3 * Math.ulp(0.5));
    }
}
