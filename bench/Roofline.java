import charrnn.model.CellType;
import charrnn.model.FastNetwork;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.PhaseClock;
import charrnn.model.Precision;
import charrnn.model.StreamState;
import charrnn.numeric.Blas;
import charrnn.numeric.NativeArray;
import charrnn.optim.LossNormalization;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import charrnn.train.TrainingStep;
import charrnn.util.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The roofline of the deep models' training iteration on this machine: the float32 peak on 1 and 2
 * threads, and where an iteration's time goes, by kind of work, against it.
 *
 * <p>Peak, two ways: an FMA-bound Vector API loop (12 independent accumulators of the preferred species,
 * nothing loaded: the most the cores' FMA units give Java), and OpenBLAS's sgemm (the one ND4J ships,
 * the one charrnn calls) on 2048×2048 matrices; each the best of 5 rounds, on 1 thread and on 2 (two Java
 * threads for the loop; BLAS's own threads for sgemm).
 *
 * <p>Profile: the model of bench/compare.sh DEEP=1 (lstm, 2 layers, H, embedding H, B = 50, T = 50,
 * V = 65, float32, Adam, clip 5, no dropout) at each H on 1 and 2 threads; every iteration is
 * forward, backward, the gradients scaled by 1/T (the mean loss), clipped and one Adam step, as
 * Network.train does. The time of each kind of work is thread 0's ({@link PhaseClock}: its share of
 * parallel sections, and its wait at their ends), so the phases add up to the iteration's wall time;
 * medians over 5 rounds of a few iterations each. A phase's GFLOP/s is the FLOPs it does (below) over its
 * time: per-step products 2·L·2·TB·H·4H; whole-window products, per layer above the first 3·2·TB·H·4H
 * + 2·TB·H·4H (input side, dWx, the input's gradient; dWh), layer 0 3·2·V·H·4H + 2·TB·H·4H (the
 * per-character table emb Wxᵀ, dWx = Sᵀ emb, demb = S Wx; dWh), the decoder 3·2·TB·H·V (Y, dWhy, dH),
 * TB = B·T.
 *
 * <p>usage (the launcher's OpenBLAS kernel choice applies: on an AVX-512 CPU run with
 * OPENBLAS_CORETYPE=SkylakeX, as ./charrnn does):
 * java -Dcharrnn.profile=true --add-modules jdk.incubator.vector -cp target/charrnn.jar bench/Roofline.java [H ...]
 */
public class Roofline {
    static final int B = 50;
    static final int T = 50;
    static final int V = 65;
    static final int L = 2;
    static final int TB = B * T;
    static final int ROUNDS = 5;
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;   // a constant, or C2 boxes every vector

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {128, 256, 512}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        if (!Boolean.getBoolean("charrnn.profile")) {
            throw new IllegalStateException("run with -Dcharrnn.profile=true (the phase clocks are off without it)");
        }
        System.out.printf("%s, %d cores; OPENBLAS_CORETYPE=%s%n", System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), System.getenv("OPENBLAS_CORETYPE"));
        double[] fma = new double[3];
        double[] sgemm = new double[3];
        for (int n = 1; n <= 2; n++) {
            fma[n] = fmaPeak(n);
            sgemm[n] = sgemmRate(n, 2048);
        }
        System.out.println();
        System.out.println("| float32 peak, GFLOP/s | 1 thread | 2 threads |");
        System.out.println("| --- | ---: | ---: |");
        System.out.printf("| FMA loop (Vector API, %d lanes) | %.0f | %.0f |%n", FloatVector.SPECIES_PREFERRED.length(),
                fma[1], fma[2]);
        System.out.printf("| OpenBLAS sgemm 2048×2048 (ND4J's) | %.0f | %.0f |%n", sgemm[1], sgemm[2]);
        Blas.useThreads(1);
        for (int h : sizes) {
            for (int n = 1; n <= 2; n++) {
                profile(h, n, sgemm[n]);
            }
        }
    }

    /** GFLOP/s of a loop of independent FMAs on {@code threads} threads at once, best of 5 rounds. */
    static double fmaPeak(int threads) throws InterruptedException {
        VectorSpecies<Float> species = SPECIES;
        for (int i = 0; i < 20_000; i++) {
            fmaLoop(100);   // compiled as a method, not on-stack-replaced mid-loop
        }
        long reps = 50_000_000L;
        double best = 0;
        for (int round = 0; round < 6; round++) {
            float[] sink = new float[threads];
            List<Thread> running = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < threads; i++) {
                int index = i;
                Thread th = new Thread(() -> sink[index] = fmaLoop(reps));
                running.add(th);
                th.start();
            }
            for (Thread th : running) {
                th.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double flops = 2.0 * 12 * species.length() * reps * threads;
            if (round > 0) {
                best = Math.max(best, flops / seconds / 1e9);
            }
        }
        return best;
    }

    static float fmaLoop(long reps) {
        FloatVector m = FloatVector.broadcast(SPECIES, 0.999999f);
        FloatVector a = FloatVector.broadcast(SPECIES, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(SPECIES, 1f);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long r = 0; r < reps; r++) {
            c0 = c0.fma(m, a);
            c1 = c1.fma(m, a);
            c2 = c2.fma(m, a);
            c3 = c3.fma(m, a);
            c4 = c4.fma(m, a);
            c5 = c5.fma(m, a);
            c6 = c6.fma(m, a);
            c7 = c7.fma(m, a);
            c8 = c8.fma(m, a);
            c9 = c9.fma(m, a);
            c10 = c10.fma(m, a);
            c11 = c11.fma(m, a);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** GFLOP/s of OpenBLAS sgemm on size×size matrices with {@code threads} BLAS threads, best of 5. */
    static double sgemmRate(int threads, int size) {
        Blas.useThreads(threads);
        INDArray a = Nd4j.rand(DataType.FLOAT, size, size);
        INDArray b = Nd4j.rand(DataType.FLOAT, size, size);
        INDArray c = Nd4j.zeros(DataType.FLOAT, size, size);
        NativeArray na = new NativeArray(a);
        NativeArray nb = new NativeArray(b);
        NativeArray nc = new NativeArray(c);
        double best = 0;
        for (int round = 0; round < 6; round++) {
            long t0 = System.nanoTime();
            Blas.gemm(false, false, false, size, size, size, na.at(0), size, nb.at(0), size, 0.0, nc.at(0), size);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (round > 0) {
                best = Math.max(best, 2.0 * size * size * size / seconds / 1e9);
            }
        }
        return best;
    }

    /** One row per phase: ms per iteration, GFLOP/s where it has FLOPs, share of the iteration. */
    static void profile(int h, int threads, double peak) {
        ModelSpec spec = new ModelSpec(CellType.LSTM, L, h, V, Precision.FLOAT, h);
        ParamSet params = ParamSet.init(spec, new Rng(1));
        int[][] windows = new int[B][T + 1];
        Rng rng = new Rng(2);
        for (int[] w : windows) {
            for (int i = 0; i <= T; i++) {
                w[i] = (int) (rng.nextDouble() * V);
            }
        }
        int iterations = h >= 512 ? 2 : h >= 256 ? 4 : 10;
        PhaseClock.Phase[] phases = PhaseClock.Phase.values();
        // per round, ms per iteration: each phase, the rest, the total
        double[][] ms = new double[phases.length + 2][ROUNDS];
        Optimizer adam = Optimizer.create(new OptimizerConfig(OptimizerConfig.Kind.ADAM, 0.002,
                OptimizerConfig.ALPHA, OptimizerConfig.BETA1, OptimizerConfig.BETA2, OptimizerConfig.EPSILON), params);
        try (FastNetwork net = new FastNetwork(params, B, T, 0, threads)) {
            // one training iteration, as the trainer runs it (the mean loss: scale 1/T, clip 5, Adam)
            TrainingStep step = new TrainingStep(net, adam, StreamState.zeros(spec, B), 5, null, LossNormalization.MEAN);
            for (int i = 0; i < 3; i++) {
                step.train(windows);
            }
            for (int round = 0; round < ROUNDS; round++) {
                long[] before = new long[phases.length];
                for (PhaseClock.Phase p : phases) {
                    before[p.ordinal()] = net.clock().nanos(p);
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < iterations; i++) {
                    step.train(windows);
                }
                double total = (System.nanoTime() - t0) / 1e6 / iterations;
                double accounted = 0;
                for (PhaseClock.Phase p : phases) {
                    double phaseMs = (net.clock().nanos(p) - before[p.ordinal()]) / 1e6 / iterations;
                    ms[p.ordinal()][round] = phaseMs;
                    accounted += phaseMs;
                }
                ms[phases.length][round] = total - accounted;
                ms[phases.length + 1][round] = total;
            }
        }
        double stepFlops = 2.0 * L * 2 * TB * h * 4.0 * h;
        // layer 0 reads its input side from a V-row table: emb Wxᵀ, then dWx = Sᵀ emb and demb = S Wx
        double windowFlops = 3 * 2.0 * V * h * 4 * h + 2.0 * TB * h * 4 * h;
        for (int k = 1; k < L; k++) {
            windowFlops += 3 * 2.0 * TB * h * 4 * h + 2.0 * TB * h * 4 * h;
        }
        windowFlops += 3 * 2.0 * TB * h * V;
        double equationFlops = stepFlops + L * 4 * 2.0 * TB * h * 4 * h + 3 * 2.0 * TB * h * V;
        double total = median(ms[phases.length + 1]);
        System.out.printf("%nlstm H=%d, %d thread%s: %.1f ms per iteration, %.0f chars/s, %.1f GFLOP per iteration "
                        + "(the equations' products on every row: %.1f), %.0f GFLOP/s overall (%.0f %% of sgemm's %.0f)%n",
                h, threads, threads == 1 ? "" : "s", total, TB * 1000 / total, (stepFlops + windowFlops) / 1e9,
                equationFlops / 1e9, (stepFlops + windowFlops) / total / 1e6,
                100 * (stepFlops + windowFlops) / total / 1e6 / peak, peak);
        System.out.println("| phase | ms | GFLOP/s | % of sgemm peak | share of the iteration |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (int i = 0; i < phases.length + 1; i++) {
            String label = i < phases.length ? phases[i].label : "other";
            double phaseMs = median(ms[i]);
            double flops = i == PhaseClock.Phase.STEP_PRODUCTS.ordinal() ? stepFlops
                    : i == PhaseClock.Phase.WINDOW_PRODUCTS.ordinal() ? windowFlops : 0;
            String rate = flops > 0 ? String.format("%.0f", flops / phaseMs / 1e6) : "";
            String share = flops > 0 ? String.format("%.0f %%", 100 * flops / phaseMs / 1e6 / peak) : "";
            System.out.printf("| %s | %.2f | %s | %s | %.1f %% |%n", label, phaseMs, rate, share, 100 * phaseMs / total);
        }
    }

    static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
