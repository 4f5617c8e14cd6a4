package charrnn.model;

/**
 * What a training iteration does with its gradients once the loss is known: all a network sees of the
 * optimizer ({@code charrnn.train.TrainingStep} provides it, with {@code charrnn.optim}'s clip and rules).
 * A network applies it whole, in parts on its own threads, or, for min-char-rnn's Adagrad, fused into its
 * backward pass ({@link #fusedAdagrad}).
 */
public interface GradientUpdate {
    /** The loss was finite: every gradient scaled to the loss's normalization, clipped, then one optimizer step. */
    void apply(ParamSet params, ParamSet grads);

    /** The loss was not finite: the gradients scaled only; the parameters stay as they were. */
    void skip(ParamSet grads);

    /** Whether {@link #applyPart} may do {@link #apply} in parts by elements (each element on its own). */
    boolean inParts();

    /** Before the parts of one {@link #apply}, on the calling thread. */
    void begin();

    /** Part t of n of {@link #apply}: elements [length·t/n, length·(t+1)/n) of every array. */
    void applyPart(ParamSet params, ParamSet grads, int t, int n);

    /**
     * min-char-rnn's update (the summed loss, clip, then Adagrad with ε = 1e-8 inside the root) as a kernel
     * fuses it ({@code charrnn.numeric.FusedAdagrad}): its memory, learning rate and clip, and what to call
     * once applied; null when this update is another.
     */
    Adagrad fusedAdagrad();

    /** @param applied to call after the kernel applied the update (the optimizer counts its steps) */
    record Adagrad(ParamSet memory, double learningRate, double clip, Runnable applied) {
    }
}
