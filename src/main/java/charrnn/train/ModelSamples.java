package charrnn.train;

import charrnn.model.Engine;
import charrnn.model.NetworkStepper;
import charrnn.model.ParamSet;
import charrnn.model.StreamState;
import charrnn.sample.Sampler;
import charrnn.util.Rng;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The samples of a model being trained, from stream 0's carried state: in place from the live parameters,
 * or, to be drawn beside training, from copies of the parameters and of the state taken at the sample's
 * iteration. Also the samples of a run whose iterations are computed elsewhere (charrnn-spark's driver).
 */
public final class ModelSamples implements SampleSource, AutoCloseable {
    private final ParamSet params;
    private final StreamState state;
    private final Engine engine;
    private final NetworkStepper stepper;   // in place: the live parameters
    private final Sampler sampler;
    private final int threads;
    private ParamSet copy;                  // beside training: copies
    private NetworkStepper copyStepper;
    private Sampler copySampler;

    /** Samples of {@code params} from stream 0 of {@code state}, both read when a sample is drawn. */
    public ModelSamples(Engine engine, ParamSet params, StreamState state, int threads) {
        this.threads = threads;
        this.params = params;
        this.state = state;
        this.engine = engine;
        this.stepper = new NetworkStepper(engine, params, threads);
        this.sampler = new Sampler(stepper);
    }

    @Override
    public Callable<int[]> sample(int seed, int length, Rng rng, boolean snapshot) {
        if (!snapshot) {
            stepper.setState(state, 0);
            return () -> sampler.sample(seed, length, 1.0, rng);
        }
        if (copy == null) {
            copy = params.copy();
            copyStepper = new NetworkStepper(engine, copy, threads);
            copySampler = new Sampler(copyStepper);
        }
        List<INDArray> live = params.all();
        List<INDArray> own = copy.all();
        for (int i = 0; i < live.size(); i++) {
            Nd4j.getMemoryManager().memcpy(own.get(i).data(), live.get(i).data());   // same shape and layout
        }
        copyStepper.setState(state, 0);
        return () -> copySampler.sample(seed, length, 1.0, rng);
    }

    /** Stops the steppers' networks. */
    @Override
    public void close() {
        stepper.close();
        if (copyStepper != null) {
            copyStepper.close();
        }
    }
}
