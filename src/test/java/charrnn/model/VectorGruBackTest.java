package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.numeric.VectorApi;
import charrnn.numeric.VectorMath;
import charrnn.util.Rng;
import org.junit.jupiter.api.Test;

/**
 * VectorMath.gruBack, the GRU's step backward lanes at a time, gives the bits of the scalar formulas it
 * replaces (FastNetwork's loop): compared as raw bits on random values, for the lanes it covers.
 */
class VectorGruBackTest {
    @Test
    void lanesGiveTheScalarBits() {
        assertTrue(VectorApi.AVAILABLE, "the tests run with the Vector API module");
        int h = 37;
        int a = 3 * h;     // the second stream's gates
        int c = h;
        Rng rng = new Rng(6);
        double[] z = random(6 * h, rng);
        double[] u = random(6 * h, rng);
        double[] hPrev = random(2 * h, rng);
        double[] dh = random(2 * h, rng);
        double[] dz = new double[6 * h];
        double[] du = new double[6 * h];
        double[] dhn = new double[2 * h];
        int bound = VectorMath.gruBack(z, u, hPrev, dh, dz, du, dhn, a, c, h);
        assertTrue(bound > 0 && bound <= h, "covered " + bound);
        for (int j = 0; j < bound; j++) {
            double r = z[a + j];
            double zz = z[a + h + j];
            double n = z[a + 2 * h + j];
            double d = dh[c + j];
            double dan = d * (1 - zz) * (1 - n * n);
            double dar = dan * u[a + 2 * h + j] * r * (1 - r);
            double daz = d * (hPrev[c + j] - n) * zz * (1 - zz);
            bits(dar, dz[a + j]);
            bits(daz, dz[a + h + j]);
            bits(dan, dz[a + 2 * h + j]);
            bits(dar, du[a + j]);
            bits(daz, du[a + h + j]);
            bits(dan * r, du[a + 2 * h + j]);
            bits(d * zz, dhn[c + j]);
        }
    }

    private static void bits(double expected, double actual) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), expected + " vs " + actual);
    }

    private static double[] random(int n, Rng rng) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextDouble() * 2 - 1;
        }
        return x;
    }
}
