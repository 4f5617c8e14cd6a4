package charrnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** A block through Java serialization (as Spark ships it) keeps every bit, and costs its values' bytes. */
class BlockTest {
    private static Object roundTrip(Object o, int[] size) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        size[0] = bytes.size();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }

    @Test
    void floatAndDoubleValuesTravelBitForBit() throws Exception {
        float[] f = new float[10_000];
        double[] d = new double[10_000];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) Math.sin(i) * 1e-3f;
            d[i] = Math.cos(i) * 1e300;
        }
        f[7] = Float.intBitsToFloat(0x7fc00123);   // a NaN with a payload
        f[8] = -0.0f;
        d[9] = Double.longBitsToDouble(0x7ff8000000000abcL);
        int[] size = new int[1];
        Block fb = (Block) roundTrip(Block.of(Nd4j.create(f, new long[] {100, 100}, 'c')), size);
        assertTrue(size[0] < 4 * f.length + 200, "about the values' bytes: " + size[0]);
        Block db = (Block) roundTrip(Block.of(Nd4j.create(d, new long[] {100, 100}, 'c')), size);
        assertTrue(size[0] < 8 * d.length + 200, "about the values' bytes: " + size[0]);
        int[] expected = new int[f.length];
        int[] actual = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            expected[i] = Float.floatToRawIntBits(f[i]);
            actual[i] = Float.floatToRawIntBits(fb.f[i]);
        }
        assertArrayEquals(expected, actual);
        long[] e = new long[d.length];
        long[] a = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            e[i] = Double.doubleToRawLongBits(d[i]);
            a[i] = Double.doubleToRawLongBits(db.d[i]);
        }
        assertArrayEquals(e, a);
    }
}
