package charrnn.train;

import charrnn.util.Rng;
import java.util.concurrent.Callable;

/** Where a run's samples come from. */
public interface SampleSource {
    /**
     * A draw of {@code length} characters from the model as it is now, from stream 0's carried state and
     * the input {@code seed}. With {@code snapshot}, what it needs is copied now, so that the task can
     * run on another thread while training goes on.
     */
    Callable<int[]> sample(int seed, int length, Rng rng, boolean snapshot);
}
