package charrnn.model;

import charrnn.util.Rng;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * min-char-rnn's configuration (one rnn layer reading one-hot characters, one stream, no dropout) on the
 * vanilla kernel ({@link VanillaKernel}'s arithmetic: one gemv per step, the touched columns of Wxh, dWhh in
 * cache-sized blocks beside its update): the network the default run trains, bit for bit as min-char-rnn's
 * own loop on this kernel (OnePathAgreementTest) and as fast. Its parameters are the model's: {@code l0.Wx} (H, V) column-major
 * ({@link ModelSpec#columnMajor}), {@code l0.Wh}, {@code Why}, {@code l0.b}, {@code by}.
 */
final class VanillaNetwork extends NetworkBase {
    private final VanillaKernel kernel;
    private final java.util.Map<ParamSet, List<INDArray>> inKernelOrder = new java.util.IdentityHashMap<>();

    VanillaNetwork(ParamSet params, int seqLength, int threads) {
        super(requireFits(params), 1, seqLength);
        this.kernel = new VanillaKernel(inKernelOrder(params), seqLength, threads);
    }

    private static ParamSet requireFits(ParamSet params) {
        if (!fits(params.spec(), 1, 0)) {
            throw new IllegalArgumentException("the vanilla kernel runs one rnn layer reading one-hot characters");
        }
        return params;
    }

    /** Whether the vanilla kernel runs this model at this batch size and dropout. */
    static boolean fits(ModelSpec spec, int batchSize, double dropout) {
        return spec.isMinCharModel() && batchSize == 1 && dropout == 0;
    }

    /** Wxh, Whh, Why, bh, by: the kernel's order, min-char-rnn's names. */
    private List<INDArray> inKernelOrder(ParamSet set) {
        // (the same gradients and memories come every iteration)
        return inKernelOrder.computeIfAbsent(set, p ->
                List.of(p.get(ModelSpec.wx(0)), p.get(ModelSpec.wh(0)), p.get(ModelSpec.WHY), p.get(ModelSpec.b(0)),
                        p.get(ModelSpec.BY)));
    }

    @Override
    public double forward(int[][] windows, StreamState state, Rng dropoutRng) {
        requireOneStream(windows, state);
        return kernel.forwardWindow(windows[0], state.h[0]);
    }

    @Override
    public void backward(ParamSet grads) {
        kernel.backwardWindow(inKernelOrder(grads));
    }

    /**
     * Adagrad with the summed loss (min-char-rnn's update) is applied by the kernel itself, fused into its
     * backward pass with the same bits; anything else as every network does.
     */
    @Override
    public double train(int[][] windows, StreamState state, Rng dropoutRng, ParamSet grads, GradientUpdate update) {
        GradientUpdate.Adagrad adagrad = update.fusedAdagrad();
        if (adagrad == null) {
            return super.train(windows, state, dropoutRng, grads, update);
        }
        requireOneStream(windows, state);
        double loss = kernel.train(windows[0], state.h[0], inKernelOrder(grads), inKernelOrder(adagrad.memory()),
                adagrad.learningRate(), adagrad.clip());
        if (Double.isFinite(loss)) {
            adagrad.applied().run();
        }
        return loss;
    }

    @Override
    public void logits(int t, int s, double[] logits) {
        if (s != 0 || t < 0 || t >= T) {
            throw new IndexOutOfBoundsException("step " + t + " of stream " + s);
        }
        kernel.logits(t, logits);
    }

    /** min-char-rnn's sampling step, {@code h = tanh(Wxh x + Whh h + bh); y = Why h + by}, on the kernel. */
    @Override
    public void step(int input, StreamState state, double[] logits) {
        kernel.step(input, state.h[0], logits);
    }

    @Override
    public boolean usesBothCores() {
        return kernel.usesBothCores();
    }

    /** The kernel, for the tests of its threads. */
    public VanillaKernel kernel() {
        return kernel;
    }

    @Override
    public void close() {
        kernel.close();
    }

    private static void requireOneStream(int[][] windows, StreamState state) {
        if (windows.length != 1 || state.streams() != 1) {
            throw new IllegalArgumentException("the vanilla kernel runs one stream");
        }
    }
}
