import charrnn.model.CellType;
import charrnn.model.FastNetwork;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.Precision;
import charrnn.model.StreamState;
import charrnn.util.Rng;
import java.util.Arrays;

/**
 * Milliseconds per training iteration (forward + backward, no optimizer) of the fast stacked engine on
 * random windows, with the streams on one thread and on two, in alternating rounds; medians of 7 rounds
 * of 10 iterations after a warm-up. Float32, L=2, B=50, T=50, V=65.
 *
 * usage: OPENBLAS_CORETYPE=SkylakeX java --add-modules jdk.incubator.vector -cp target/charrnn.jar \
 *            bench/StackedStepBench.java [lstm|gru|rnn] [H]
 * (OPENBLAS_CORETYPE as the launcher sets it on AVX-512 CPUs)
 */
public class StackedStepBench {
    public static void main(String[] args) {
        CellType cell = CellType.valueOf(args.length > 0 ? args[0].toUpperCase() : "LSTM");
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int b = 50;
        int t = 50;
        int v = 65;
        ModelSpec spec = new ModelSpec(cell, 2, hidden, v, Precision.FLOAT);
        ParamSet params = ParamSet.init(spec, new Rng(1));
        ParamSet grads = params.zerosLike();
        FastNetwork[] nets = {new FastNetwork(params, b, t, 0, 1), new FastNetwork(params, b, t, 0, 2)};
        StreamState state = StreamState.zeros(spec, b);
        Rng rng = new Rng(2);
        int[][] windows = new int[b][t + 1];
        for (int[] w : windows) {
            for (int i = 0; i <= t; i++) {
                w[i] = (int) (rng.nextDouble() * v);
            }
        }
        int rounds = 7;
        double[][] ms = new double[2][rounds];
        for (int round = -1; round < rounds; round++) {
            for (int n = 0; n < 2; n++) {
                long start = System.nanoTime();
                for (int i = 0; i < 10; i++) {
                    nets[n].forward(windows, state, null);
                    nets[n].backward(grads);
                }
                if (round >= 0) {
                    ms[n][round] = (System.nanoTime() - start) / 1e6 / 10;
                }
            }
        }
        for (int n = 0; n < 2; n++) {
            double[] sorted = ms[n].clone();
            Arrays.sort(sorted);
            double median = sorted[rounds / 2];
            System.out.printf("%s L=2 H=%d B=%d T=%d, %d thread%s: %.1f ms/iteration [%.1f–%.1f], %,.0f chars/s%n",
                    cell.name().toLowerCase(), hidden, b, t, n + 1, n == 0 ? " " : "s", median, sorted[0],
                    sorted[rounds - 1], b * t / (median / 1000));
        }
    }
}
