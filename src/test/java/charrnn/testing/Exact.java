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

    /**
     * Two runs hold the same arrays, bit for bit: every parameter, every optimizer slot, every stream's
     * carried state (and the same optimizer step count).
     */
    public static void assertSameRun(charrnn.checkpoint.Checkpoint expected, charrnn.checkpoint.Checkpoint actual) {
        assertEquals(expected.params().names(), actual.params().names(), "parameter names");
        for (String name : expected.params().names()) {
            assertSameArray(name, expected.params().get(name), actual.params().get(name));
        }
        assertEquals(expected.optimizer().state().keySet(), actual.optimizer().state().keySet(), "optimizer slots");
        expected.optimizer().state().forEach((slot, arrays) -> {
            for (String name : arrays.names()) {
                assertSameArray(slot + "." + name, arrays.get(name), actual.optimizer().state().get(slot).get(name));
            }
        });
        assertEquals(expected.optimizer().step(), actual.optimizer().step(), "optimizer step");
        for (int k = 0; k < expected.state().h.length; k++) {
            assertSameArray("h.l" + k, expected.state().h[k], actual.state().h[k]);
            if (expected.state().c != null) {
                assertSameArray("c.l" + k, expected.state().c[k], actual.state().c[k]);
            }
        }
    }

    /** The values as doubles in C order (exact for float32 and float64). */
    public static double[] raw(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
}
