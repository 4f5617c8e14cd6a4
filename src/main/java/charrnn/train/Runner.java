package charrnn.train;

import charrnn.corpus.TextSource;
import java.io.IOException;

/**
 * What computes a run's iterations and reads its corpus: this machine ({@link #LOCAL}, {@code charrnn
 * train}) or a cluster (charrnn-spark). Starting, resuming, the loop, logging, scoring and checkpoints are
 * the same for every runner ({@code charrnn.api.Training}, {@link Trainer}).
 */
public interface Runner {
    /** This machine: the corpus as the settings name it, the iterations on its own threads. */
    Runner LOCAL = LocalSteps::new;

    /** Checks the settings once they are known (a cluster: its workers share the streams), before any output. */
    default void check(TrainConfig config) {
    }

    /**
     * The corpus a resumed checkpoint names ({@code location}: a path or a URI), when this runner reads it
     * itself (a cluster's file system); null: read as {@code charrnn train} reads it (a local path).
     */
    default TextSource savedCorpus(String location) throws IOException {
        return null;
    }

    /** The iterations' source, from {@code start}. */
    StepSource open(RunStart start) throws IOException;
}
