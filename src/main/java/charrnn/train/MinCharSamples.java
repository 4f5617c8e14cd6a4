package charrnn.train;

import charrnn.model.Engine;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.sample.Sampler;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** min-char-rnn's samples: in place from the live parameters, or from copies of them and of hprev. */
final class MinCharSamples implements SampleSource {
    private final Params params;
    private final INDArray hprev;          // (H, 1) the trainer's carried hidden state
    private final Engine.Kind kind;
    private final int seqLength;
    private final Sampler liveSampler;     // samples in place, from the parameters being trained
    // samples beside training: copies of the parameters and of hprev taken at the sample's iteration
    private Params copy;
    private Sampler copySampler;
    private Engine copyEngine;
    private INDArray copyH;

    MinCharSamples(Params params, Engine engine, INDArray hprev, Engine.Kind kind) {
        this.params = params;
        this.hprev = hprev;
        this.kind = kind;
        this.seqLength = engine.seqLength();
        this.liveSampler = new Sampler(engine);
    }

    @Override
    public Callable<int[]> sample(int seed, int length, Rng rng, boolean snapshot) {
        if (!snapshot) {
            return () -> liveSampler.sample(hprev, seed, length, 1.0, rng);
        }
        if (copy == null) {
            copy = new Params(params.Wxh.dup(), params.Whh.dup(), params.Why.dup(), params.bh.dup(), params.by.dup());
            copyEngine = Engine.create(kind, copy, seqLength);
            copySampler = new Sampler(copyEngine);
            copyH = Nd4j.zeros(params.dataType(), params.hiddenSize(), 1);
        }
        List<INDArray> live = params.all();
        List<INDArray> own = copy.all();
        for (int i = 0; i < live.size(); i++) {
            Nd4j.getMemoryManager().memcpy(own.get(i).data(), live.get(i).data());   // same shape and order
        }
        Nd4j.getMemoryManager().memcpy(copyH.data(), hprev.data());
        return () -> copySampler.sample(copyH, seed, length, 1.0, rng);
    }

    /** Stops the copy's engine, if samples were drawn beside training. */
    void close() {
        if (copyEngine != null) {
            copyEngine.close();
        }
    }
}
