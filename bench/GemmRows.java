import charrnn.numeric.Blas;
import charrnn.numeric.NativeArray;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Does a row of a BLAS product depend on how many rows the call has? The question for splitting the B
 * streams among N threads with the same bits for every N: each thread's part makes its rows of a step's
 * product h_{t-1} Whᵀ (rows: streams, G·H = 4H columns, inner size H), and backward dz Wh (inner size
 * G·H), in one call of its own size. For
 * each type and H this compares every block of m consecutive rows (m = 1..32, at every offset) made
 * alone against the same rows of one 32-row call, raw bits, and prints the row counts m that differ.
 * Then it times one step's product for B = 50 streams made as 1, 2, 4, 8 or 25 calls of B/P rows each on
 * one thread: what a partition fixed by B alone (so that the bits cannot depend on N) costs when one
 * thread runs every part.
 *
 * <p>Measured on a 2-core AMD EPYC (family 26) with ND4J's OpenBLAS 0.3.19: float64 rows never depend on
 * the call's row count, under any OPENBLAS_CORETYPE. float32 rows do: under Haswell's kernels a row made
 * alone or in a call of 1 to 31 rows differs from the same row of the 32-row call (every H tried);
 * under SkylakeX's (what the launcher sets on AVX-512 CPUs OpenBLAS does not recognize) forward calls
 * of 1 to 9 rows differ at H=32, 1 and 2 rows at H=128, 1 row at H=256, and backward calls of 1 to 15
 * rows at H=128, 1 to 3 at H=256; with the core detected by OpenBLAS itself, none. So splitting the streams into P = min(N, B) parts, each one call, keeps float64's bits for every
 * N but not float32's: a part must be made by a call of the same rows whatever N is.
 *
 * usage: OPENBLAS_CORETYPE=SkylakeX java --add-modules jdk.incubator.vector -cp target/charrnn.jar bench/GemmRows.java
 */
public class GemmRows {
    public static void main(String[] args) {
        Blas.useThreads(1);
        int rows = 32;
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            boolean isDouble = type == DataType.DOUBLE;
            for (int h : new int[] {8, 32, 128, 256, 512}) {
                int gh = 4 * h;
                Nd4j.getRandom().setSeed(1);
                // forward: h_{t-1} Whᵀ, (rows, H)(H, G·H); backward: dz Wh, (rows, G·H)(G·H, H)
                NativeArray hs = new NativeArray(Nd4j.rand(type, rows, h).subi(0.5));   // (rows, H)
                NativeArray dz = new NativeArray(Nd4j.rand(type, rows, gh).subi(0.5));  // (rows, G·H)
                NativeArray wh = new NativeArray(Nd4j.rand(type, gh, h).subi(0.5));     // (G·H, H)
                System.out.printf("%-6s H=%-4d rows made alone that differ from the %d-row call, at row counts:"
                        + " forward %s, backward %s%n", type, h, rows,
                        differing(isDouble, type, rows, gh, h, hs, wh, true),
                        differing(isDouble, type, rows, h, gh, dz, wh, false));
            }
        }
        int b = 50;
        for (int h : new int[] {128, 256, 512}) {
            int gh = 4 * h;
            NativeArray hs = new NativeArray(Nd4j.rand(DataType.FLOAT, b, h));
            NativeArray wh = new NativeArray(Nd4j.rand(DataType.FLOAT, gh, h));
            NativeArray out = new NativeArray(Nd4j.zeros(DataType.FLOAT, b, gh));
            StringBuilder line = new StringBuilder(String.format("float  H=%-4d B=%d, µs per step's product:", h, b));
            for (int parts : new int[] {1, 2, 4, 8, 25}) {
                double best = Double.MAX_VALUE;
                for (int round = 0; round < 5; round++) {
                    int reps = 2000 * 128 / h;
                    long t0 = System.nanoTime();
                    for (int r = 0; r < reps; r++) {
                        for (int q = 0; q < parts; q++) {
                            int from = b * q / parts;
                            int to = b * (q + 1) / parts;
                            Blas.gemm(false, false, true, to - from, gh, h, hs.at((long) from * h), h, wh.at(0), h,
                                    0.0, out.at((long) from * gh), gh);
                        }
                    }
                    best = Math.min(best, (System.nanoTime() - t0) / 1e3 / reps);
                }
                line.append(String.format("  %d call%s %.1f", parts, parts == 1 ? "" : "s", best));
            }
            System.out.println(line);
        }
    }

    /** The row counts m for which some m-row call of A(rows, k) op(W) differs from the full call's rows. */
    private static String differing(boolean isDouble, DataType type, int rows, int n, int k, NativeArray a,
                                    NativeArray w, boolean transW) {
        int ldw = transW ? k : n;
        NativeArray all = new NativeArray(Nd4j.zeros(type, rows, n));
        Blas.gemm(isDouble, false, transW, rows, n, k, a.at(0), k, w.at(0), ldw, 0.0, all.at(0), n);
        double[] expected = bits(all.array);
        TreeSet<Integer> differ = new TreeSet<>();
        for (int m = 1; m <= rows; m++) {
            for (int from = 0; from + m <= rows; from++) {
                NativeArray part = new NativeArray(Nd4j.zeros(type, m, n));
                Blas.gemm(isDouble, false, transW, m, n, k, a.at((long) from * k), k, w.at(0), ldw, 0.0, part.at(0), n);
                double[] got = bits(part.array);
                for (int i = 0; i < got.length; i++) {
                    if (Double.doubleToRawLongBits(got[i]) != Double.doubleToRawLongBits(expected[from * n + i])) {
                        differ.add(m);
                        break;
                    }
                }
            }
        }
        return differ.isEmpty() ? "none" : differ.toString();
    }

    private static double[] bits(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
}
