package charrnn.train;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointMeta;
import charrnn.checkpoint.ModelMeta;
import charrnn.corpus.Corpus;
import charrnn.corpus.Vocabulary;
import charrnn.model.ParamSet;
import charrnn.model.StreamState;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import charrnn.util.Rng;

/**
 * What a run begins from, whichever {@link Runner} computes its iterations: the model and its optimizer,
 * the B streams' carried state and place in the corpus, the dropout masks' stream, the iteration count and
 * smooth loss, and the random stream of the samples.
 *
 * @param byteOffsets each stream's next byte in the corpus, with {@code position} its place in code points;
 *                    null: every stream at its start (a fresh run, or a resumed one on a changed corpus)
 * @param dropoutRng  null when dropout is off
 */
public record RunStart(TrainConfig config, Corpus corpus, Vocabulary vocabulary, ParamSet params,
                       Optimizer optimizer, StreamState state, long position, long[] byteOffsets, Rng dropoutRng,
                       long iteration, double smoothLoss, Rng rng) {

    /**
     * A fresh run from the given weights: position 0, every stream's state and the optimizer's state zero,
     * smooth loss −ln(1/V)·T; the dropout masks' stream seeded from {@code rng}.
     */
    public static RunStart fresh(TrainConfig config, Corpus corpus, ParamSet params, OptimizerConfig optimizer,
                                 Vocabulary vocabulary, Rng rng) {
        Rng dropoutRng = config.dropoutRng(rng);
        return new RunStart(config, corpus, vocabulary, params, Optimizer.create(optimizer, params),
                StreamState.zeros(params.spec(), config.deep().batchSize()), 0, null, dropoutRng, 0,
                -Math.log(1.0 / vocabulary.size()) * config.seqLength(), rng);
    }

    /**
     * A saved run continued: its parameters, optimizer state (with this run's learning rate), iteration count
     * and smooth loss; with {@code atSavedPosition}, also its carried state and place in the corpus (exact
     * resume), else from the corpus's start with the state reset.
     */
    public static RunStart resumed(TrainConfig config, Corpus corpus, Checkpoint saved, boolean atSavedPosition,
                                   Rng rng) {
        CheckpointMeta meta = saved.meta();
        ModelMeta deep = saved.deep();
        if (!atSavedPosition) {
            saved.state().reset();
        }
        Optimizer optimizer = Optimizer.restore(withLearningRate(deep.optimizer(), config.learningRate()),
                saved.optimizer().state(), saved.optimizer().step());
        Long dropoutState = deep.dropoutRngState();
        Rng dropoutRng = config.deep().dropout() == 0 ? null
                : dropoutState != null ? new Rng(dropoutState) : new Rng(config.seed());
        return new RunStart(config, corpus, Vocabulary.ofStrings(meta.vocab()), saved.params(), optimizer,
                saved.state(), atSavedPosition ? meta.corpus().position() : 0,
                atSavedPosition ? deep.byteOffsets() : null, dropoutRng, meta.iteration(), meta.smoothLoss(), rng);
    }

    /** A saved optimizer's constants with this run's learning rate. */
    public static OptimizerConfig withLearningRate(OptimizerConfig saved, double learningRate) {
        return new OptimizerConfig(saved.kind(), learningRate, saved.alpha(), saved.beta1(), saved.beta2(),
                saved.epsilon());
    }
}
