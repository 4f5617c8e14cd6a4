import charrnn.model.CellType;
import charrnn.model.FastNetwork;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.Precision;
import charrnn.model.StreamState;
import charrnn.numeric.RowProduct;
import charrnn.optim.LossNormalization;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import charrnn.train.TrainingStep;
import charrnn.util.Rng;
import charrnn.util.Worker;
import java.util.Arrays;

/**
 * A model of a training iteration's time on N threads, built from pieces measured on this machine, and
 * its prediction beyond the cores this machine has. The model is DEEP=1 bench/compare.sh's: lstm, 2
 * layers, H, embedding H, B = 50, T = 50, V = 65, float32, Adam, clip 5.
 *
 * <p>Measured, on one thread (medians of alternating rounds): the iteration's time t1 and its three kinds
 * of work, as FastNetwork counts them: the recurrence, whose P = min(N, B) parts run in parallel (per-step
 * products and the cells' loops); the whole-window work, whose tiles (at most 16 per product) and columns
 * are shared out; and the serial rest (the optimizer update, the embedding's gradient, the sums' writes).
 * The per-step products alone: RowProduct's time for the rows of a part, ceil(B/N), in both shapes. One
 * fork and join of every worker (each iteration has 4L + 2 of them). The same iteration on two threads, t2,
 * which the model must predict.
 *
 * <p>The model: t(N) = serial + (recurrence − products(B)) · ceil(B/N)/B + products(ceil(B/N))
 * + window / min(N, 16) + (4L + 2) · sync(N). Its limits: it assumes every core has the cache and memory
 * bandwidth one core has here (the per-step product's measured time for few rows holds the one-core
 * bandwidth to stream Wh; N cores share the L3 and memory bus, which 2 cores cannot measure), and it
 * ignores load imbalance beyond ceil(B/N).
 *
 * usage: java --add-modules jdk.incubator.vector -cp target/charrnn.jar bench/Scaling.java [H ...]
 */
public class Scaling {
    static final int B = 50;
    static final int T = 50;
    static final int V = 65;
    static final int L = 2;
    static final int[] PREDICT = {1, 2, 4, 8, 16, 32};

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {256, 512} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        double sync1 = syncMicros(2);
        for (int h : sizes) {
            ModelSpec spec = new ModelSpec(CellType.LSTM, L, h, V, Precision.FLOAT, h);
            ParamSet params = ParamSet.init(spec, new Rng(1));
            int[][] windows = new int[B][T + 1];
            Rng rng = new Rng(2);
            for (int[] w : windows) {
                for (int i = 0; i <= T; i++) {
                    w[i] = (int) (rng.nextDouble() * V);
                }
            }
            int rounds = 5;
            double[][] ms = new double[2][rounds];
            double[][] sections = new double[rounds][3];     // one thread: recurrence, window, serial (ms/iteration)
            for (int round = -1; round < rounds; round++) {
                for (int n = 1; n <= 2; n++) {
                    ParamSet p = params.copy();
                    Optimizer adam = Optimizer.create(new OptimizerConfig(OptimizerConfig.Kind.ADAM, 0.002,
                            OptimizerConfig.ALPHA, OptimizerConfig.BETA1, OptimizerConfig.BETA2, OptimizerConfig.EPSILON), p);
                    try (FastNetwork net = new FastNetwork(p, B, T, 0, n)) {
                        TrainingStep step = new TrainingStep(net, adam, StreamState.zeros(spec, B), 5, null,
                                LossNormalization.MEAN);
                        step.train(windows);   // warm-up of this network
                        int iterations = h >= 512 ? 3 : 6;
                        long[] before = net.sectionNanos();
                        long t0 = System.nanoTime();
                        for (int i = 0; i < iterations; i++) {
                            step.train(windows);
                        }
                        double total = (System.nanoTime() - t0) / 1e6 / iterations;
                        long[] after = net.sectionNanos();
                        if (round >= 0) {
                            ms[n - 1][round] = total;
                            if (n == 1) {
                                double rec = (after[0] - before[0]) / 1e6 / iterations;
                                double win = (after[1] - before[1]) / 1e6 / iterations;
                                sections[round] = new double[] {rec, win, total - rec - win};
                            }
                        }
                    }
                }
            }
            double t1 = median(ms[0]);
            double t2 = median(ms[1]);
            double rec = median(Arrays.stream(sections).mapToDouble(s -> s[0]).toArray());
            double win = median(Arrays.stream(sections).mapToDouble(s -> s[1]).toArray());
            double serial = median(Arrays.stream(sections).mapToDouble(s -> s[2]).toArray());
            double productsB = stepProducts(h, B);
            System.out.printf("%nlstm H=%d (L=%d, E=H, B=%d, T=%d, float32, Adam):%n", h, L, B, T);
            System.out.printf("  measured, one thread: %.1f ms per iteration = recurrence %.1f (of which per-step products "
                    + "%.1f) + whole-window work %.1f + serial %.1f%n", t1, rec, productsB, win, serial);
            System.out.printf("  measured, two threads: %.1f ms per iteration (%.0f chars/s; one thread: %.0f)%n", t2,
                    B * T * 1000 / t2, B * T * 1000 / t1);
            System.out.println("  | N | part rows | per-step products ms | predicted ms per iteration | predicted chars/s |");
            System.out.println("  | ---: | ---: | ---: | ---: | ---: |");
            for (int n : PREDICT) {
                int rows = (B + n - 1) / n;
                double products = stepProducts(h, rows);
                double sync = n == 1 ? 0 : (4 * L + 2) * syncMicros(n) / 1000;
                double t = serial + (rec - productsB) * rows / B + products + win / Math.min(n, 16) + sync;
                System.out.printf("  | %d | %d | %.1f | %.1f | %.0f |%n", n, rows, products, t, B * T * 1000 / t);
            }
        }
        System.out.printf("%none fork + join of every worker: %.2f µs with 1 worker (more: measured where the cores exist;"
                + " the model takes (N − 1) times it)%n", sync1);
    }

    /** Per iteration, ms: L layers × T steps × (forward h Whᵀ + back dz Wh) on a part of {@code rows} streams. */
    static double stepProducts(int h, int rows) {
        return L * T * (product(rows, h, 4 * h) + product(rows, 4 * h, h)) / 1000;
    }

    /** µs for one RowProduct of rows×k by k×n, float32, best of 7 rounds. */
    static double product(int rows, int k, int n) {
        Rng rng = new Rng(3);
        float[] a = new float[rows * k];
        double[] w = new double[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextDouble() - 0.5);
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextDouble() - 0.5;
        }
        float[] packed = new float[k * n];
        RowProduct.pack(w, false, k, n, packed);
        float[] c = new float[rows * n];
        int reps = (int) Math.max(20, 2e8 / ((double) rows * k * n));
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 7; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                RowProduct.multiply(a, 0, rows, k, packed, n, c);
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e3 / reps);
        }
        return best;
    }

    /** µs for forking an empty task on n − 1 workers and joining them (as one section of FastNetwork does). */
    static double syncMicros(int n) {
        if (n <= 1) {
            return 0;
        }
        int workers = Math.min(n - 1, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        Worker[] w = new Worker[workers];
        for (int i = 0; i < workers; i++) {
            w[i] = new Worker("sync-" + i);
        }
        Runnable nothing = () -> { };
        int reps = 200_000;
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                for (Worker x : w) {
                    x.fork(nothing);
                }
                for (Worker x : w) {
                    x.join();
                }
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e3 / reps);
        }
        for (Worker x : w) {
            x.close();
        }
        return best * (n - 1) / workers;
    }

    static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
