package charrnn.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * "The same array" in tests: the same shape, type and raw values, bit for bit. (INDArray.equals accepts
 * differences up to 1e-5, so it cannot say "unchanged" or "bit for bit".)
 */
public final class Exact {
    private Exact() {
    }

    public static void assertSameArray(String label, INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape(), label + ": shape");
        assertEquals(expected.dataType(), actual.dataType(), label + ": type");
        assertArrayEquals(raw(expected), raw(actual), label + ": values");
    }

    /** The values as doubles in C order (exact for float32 and float64). */
    public static double[] raw(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
}
