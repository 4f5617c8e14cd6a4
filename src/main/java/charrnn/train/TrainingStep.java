package charrnn.train;

import charrnn.model.GradientUpdate;
import charrnn.model.Network;
import charrnn.model.ParamSet;
import charrnn.model.StreamState;
import charrnn.optim.Clip;
import charrnn.optim.LossNormalization;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import charrnn.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training iteration of a model over B streams ({@link Network#train}, which a kernel may fuse):
 * forward from the carried state, gradients of the loss as {@link LossNormalization} defines it (summed
 * over the window and averaged over the streams, or averaged over all B·T characters), every entry
 * clipped to ±clip, one optimizer step. The network computes the gradients; the scale, the clip and the
 * optimizer's step are this class's ({@link GradientUpdate}), which the network runs where its threads are.
 * The state carries into the next iteration.
 */
public final class TrainingStep implements GradientUpdate {
    private final Network network;
    private final ParamSet grads;
    private final Optimizer optimizer;
    private final StreamState state;
    private final double clip;
    private final Rng dropoutRng;   // null when dropout is off
    private Adagrad fused;             // fusedAdagrad's last answer
    private final double gradientScale;   // from the network's gradients (of the summed loss) to the loss's

    /** With the summed loss (min-char-rnn's). */
    public TrainingStep(Network network, Optimizer optimizer, StreamState state, double clip, Rng dropoutRng) {
        this(network, optimizer, state, clip, dropoutRng, LossNormalization.SUM);
    }

    public TrainingStep(Network network, Optimizer optimizer, StreamState state, double clip, Rng dropoutRng,
                       LossNormalization loss) {
        this.network = network;
        this.grads = network.params().zerosLike();
        this.optimizer = optimizer;
        this.state = state;
        this.clip = clip;
        this.dropoutRng = dropoutRng;
        this.gradientScale = loss.gradientScale(network.seqLength());
    }

    /**
     * @param windows [B][T+1] vocabulary indices of each stream's window
     * @return the iteration's loss; when it is not finite, the parameters are left as they were
     */
    public double train(int[][] windows) {
        return network.train(windows, state, dropoutRng, grads, this);
    }

    @Override
    public void apply(ParamSet params, ParamSet grads) {
        for (INDArray d : grads.all()) {
            Clip.clip(d, gradientScale, clip);
        }
        optimizer.update(params, grads);
    }

    @Override
    public void skip(ParamSet grads) {
        if (gradientScale != 1.0) {
            for (INDArray d : grads.all()) {
                d.muli(gradientScale);
            }
        }
    }

    @Override
    public boolean inParts() {
        return optimizer.updatesInParts();
    }

    @Override
    public void begin() {
        optimizer.beginUpdate();
    }

    @Override
    public void applyPart(ParamSet params, ParamSet grads, int t, int n) {
        for (INDArray d : grads.all()) {
            long length = d.length();
            Clip.clip(d, gradientScale, clip, (int) (length * t / n), (int) (length * (t + 1) / n));
        }
        optimizer.updatePart(params, grads, t, n);
    }

    /** min-char-rnn's Adagrad (ε as its own, the summed loss) for a kernel to fuse; null for any other rule. */
    @Override
    public Adagrad fusedAdagrad() {
        OptimizerConfig c = optimizer.config();
        if (c.kind() != OptimizerConfig.Kind.ADAGRAD || gradientScale != 1.0 || c.epsilon() != OptimizerConfig.EPSILON) {
            return null;
        }
        double rate = optimizer.learningRate();
        if (fused == null || fused.learningRate() != rate) {   // (made again only when the schedule moves the rate)
            fused = new Adagrad(optimizer.state().get(Optimizer.MEM), rate, clip, optimizer::countUpdate);
        }
        return fused;
    }

    /**
     * Loss (summed over the window, averaged over the streams, whatever the normalization) and unclipped
     * gradients of the normalized loss (into {@link #grads()}); the state moves on as in {@link #train}.
     */
    public double lossAndGradients(int[][] windows) {
        double loss = network.forward(windows, state, dropoutRng);
        network.backward(grads);
        skip(grads);   // (scaled, not clipped)
        return loss;
    }

    public ParamSet grads() {
        return grads;
    }

    public ParamSet params() {
        return network.params();
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public StreamState state() {
        return state;
    }

    public Network network() {
        return network;
    }
}
