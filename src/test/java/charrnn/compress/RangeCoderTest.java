package charrnn.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The range coder and the frequency rule: any table, any symbols, back exactly; the cost near the entropy. */
class RangeCoderTest {
    @Test
    void everySymbolOfAnyTableDecodesAsCoded() throws IOException {
        Random r = new Random(11);
        for (int round = 0; round < 200; round++) {
            int n = 1 + r.nextInt(300);
            int total = 1 + r.nextInt(RangeEncoder.MAX_TOTAL);
            int[][] tables = new int[8][];
            for (int t = 0; t < tables.length; t++) {   // tables with wild skews, changing from symbol to symbol
                tables[t] = table(r, Math.min(n, total), total);
            }
            int count = r.nextInt(2000);
            int[] symbols = new int[count];
            int[] which = new int[count];
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            RangeEncoder enc = new RangeEncoder(bytes);
            for (int i = 0; i < count; i++) {
                which[i] = r.nextInt(tables.length);
                int[] f = tables[which[i]];
                symbols[i] = r.nextInt(f.length);
                enc.encode(cumulative(f, symbols[i]), f[symbols[i]], total);
            }
            enc.finish();
            assertEquals(bytes.size(), enc.written());
            RangeDecoder dec = new RangeDecoder(new ByteArrayInputStream(bytes.toByteArray()));
            for (int i = 0; i < count; i++) {
                int[] f = tables[which[i]];
                int t = dec.target(total);
                int s = 0;
                while (cumulative(f, s + 1) <= t) {
                    s++;
                }
                assertEquals(symbols[i], s, "symbol " + i + " of round " + round);
                dec.decode(cumulative(f, s), f[s], total);
            }
        }
    }

    @Test
    void theFrequencyRuleCostsLittleMoreThanTheEntropy() throws IOException {
        Random r = new Random(3);
        double[] p = new double[256];
        Frequencies table = new Frequencies(256);
        double entropyBits = 0;
        int count = 100_000;
        int[] symbols = new int[count];
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RangeEncoder enc = new RangeEncoder(bytes);
        for (int i = 0; i < count; i++) {
            double sum = 0;
            for (int j = 0; j < 256; j++) {   // peaked distributions, as a trained model's
                p[j] = Math.exp(6 * r.nextGaussian());
                sum += p[j];
            }
            for (int j = 0; j < 256; j++) {
                p[j] /= sum;
            }
            int s = draw(r, p);
            symbols[i] = s;
            entropyBits -= Math.log(p[s]) / Math.log(2);
            table.of(p).encode(enc, s);
            int[] f = table.frequency.clone();
            assertEquals(Frequencies.TOTAL, Arrays.stream(f).sum());
            assertTrue(Arrays.stream(f).allMatch(x -> x >= 1));
        }
        enc.finish();
        double bits = 8.0 * bytes.size();
        assertTrue(bits < entropyBits * 1.01 + 64, "coded " + bits + " bits for " + entropyBits + " bits of entropy");
        // and back, with tables made again from the same probabilities
        r = new Random(3);
        RangeDecoder dec = new RangeDecoder(new ByteArrayInputStream(bytes.toByteArray()));
        for (int i = 0; i < count; i++) {
            double sum = 0;
            for (int j = 0; j < 256; j++) {
                p[j] = Math.exp(6 * r.nextGaussian());
                sum += p[j];
            }
            for (int j = 0; j < 256; j++) {
                p[j] /= sum;
            }
            draw(r, p);
            assertEquals(symbols[i], table.of(p).decode(dec), "symbol " + i);
        }
    }

    @Test
    void aTruncatedStreamEndsInEofAndABadFirstByteIsRefused() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RangeEncoder enc = new RangeEncoder(bytes);
        Frequencies table = new Frequencies(4).of(new double[] {0.1, 0.2, 0.3, 0.4});
        for (int i = 0; i < 1000; i++) {
            table.encode(enc, i % 4);
        }
        enc.finish();
        byte[] cut = Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2);
        RangeDecoder dec = new RangeDecoder(new ByteArrayInputStream(cut));
        assertThrows(EOFException.class, () -> {
            for (int i = 0; i < 1000; i++) {
                table.decode(dec);
            }
        });
        byte[] bad = bytes.toByteArray().clone();
        bad[0] = 1;
        assertThrows(IOException.class, () -> new RangeDecoder(new ByteArrayInputStream(bad)));
    }

    private static int[] table(Random r, int n, int total) {
        int[] f = new int[n];
        Arrays.fill(f, 1);
        int left = total - n;
        while (left > 0) {   // lumps: most of the mass on a few symbols
            int s = r.nextInt(n);
            int add = 1 + r.nextInt(Math.max(1, left));
            add = Math.min(add, left);
            f[s] += add;
            left -= add;
        }
        return f;
    }

    private static int cumulative(int[] f, int s) {
        int c = 0;
        for (int i = 0; i < s; i++) {
            c += f[i];
        }
        return c;
    }

    private static int draw(Random r, double[] p) {
        double u = r.nextDouble();
        for (int j = 0; j < p.length; j++) {
            u -= p[j];
            if (u < 0) {
                return j;
            }
        }
        return p.length - 1;
    }
}
