package charrnn.train;

import charrnn.corpus.Vocabulary;
import charrnn.metrics.MetricsLog;
import charrnn.model.Engine;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.sample.Sampler;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The samples a run prints (min-char-rnn's {@code ----\n sample \n----}), and every other line of its
 * output, which goes through here so that the two stay in order.
 *
 * <p>When the engine leaves a core free, a sample is drawn on a thread of its own from a copy of the
 * parameters and of the hidden state taken at its iteration, while training goes on (a 200-character
 * sample takes about as long as four iterations at H = 100; drawn in place it cost over 5 % of the
 * training time). The lines printed meanwhile are held back and follow the sample, so the output is the
 * same, line for line, as if the sample had been drawn in place; the trainer waits for it {@link #LAG}
 * iterations on at the latest, and before anything that reads the random stream (a checkpoint).
 */
final class Samples implements AutoCloseable {
    /** Iterations a sample has to be drawn in before the trainer waits for it. */
    static final int LAG = 8;

    private final PrintStream out;
    private final Vocabulary vocabulary;
    private final Rng rng;
    private final int length;
    private final Sampler sampler;
    private final List<INDArray> live;     // the parameters being trained
    private final List<INDArray> copy;     // the sampler's copy of them; null when sampling in place
    private final INDArray h;              // the sampler's copy of the hidden state
    private final ExecutorService thread;  // null when sampling in place
    private final StringBuilder held = new StringBuilder();
    private MetricsLog metrics;

    private Future<int[]> pending;         // the sample being drawn, if any
    private long pendingIteration;
    private double pendingSmoothLoss;

    /**
     * @param kind   the engine the trainer uses, for the sampler's own when {@code inBackground}
     * @param engine the trainer's engine, which the sampler uses when not {@code inBackground}
     */
    Samples(PrintStream out, Vocabulary vocabulary, Rng rng, int length, Params params, Engine engine,
            Engine.Kind kind, boolean inBackground) {
        this.out = out;
        this.vocabulary = vocabulary;
        this.rng = rng;
        this.length = length;
        this.live = params.all();
        this.h = Nd4j.zeros(params.dataType(), params.hiddenSize(), 1);
        if (inBackground) {
            Params own = new Params(params.Wxh.dup(), params.Whh.dup(), params.Why.dup(), params.bh.dup(),
                    params.by.dup());
            this.copy = own.all();
            this.sampler = new Sampler(Engine.create(kind, own, engine.seqLength()));
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "charrnn-sampler");
                t.setDaemon(true);
                return t;
            });
        } else {
            this.copy = null;
            this.sampler = new Sampler(engine);
            this.thread = null;
        }
    }

    /** Also writes each sample to {@code log}'s samples.txt. */
    void record(MetricsLog log) {
        this.metrics = log;
    }

    /**
     * Draws {@code length} characters from the parameters and {@code hprev} as they are now, the first
     * input {@code seed}; prints them now or, drawn in the background, when {@link #await()} is called.
     */
    void start(long iteration, double smoothLoss, INDArray hprev, int seed) throws IOException {
        await();
        if (thread == null) {
            show(iteration, smoothLoss, sampler.sample(hprev, seed, length, 1.0, rng));
            return;
        }
        for (int i = 0; i < live.size(); i++) {
            Nd4j.getMemoryManager().memcpy(copy.get(i).data(), live.get(i).data());   // same shape and order
        }
        Nd4j.getMemoryManager().memcpy(h.data(), hprev.data());
        pendingIteration = iteration;
        pendingSmoothLoss = smoothLoss;
        pending = thread.submit(() -> sampler.sample(h, seed, length, 1.0, rng));
    }

    /** Waits for the sample being drawn when it was started {@link #LAG} iterations before {@code iteration}. */
    void awaitIfDue(long iteration) throws IOException {
        if (pending != null && iteration >= pendingIteration + LAG) {
            await();
        }
    }

    /** Waits for the sample being drawn, if any, and prints it and the lines held back meanwhile. */
    void await() throws IOException {
        if (pending == null) {
            return;
        }
        int[] drawn;
        try {
            drawn = pending.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException("sampling failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a sample", e);
        } finally {
            pending = null;
        }
        show(pendingIteration, pendingSmoothLoss, drawn);
        out.print(held);
        held.setLength(0);
        out.flush();
    }

    /** Prints a line of the run's output, after the sample being drawn if there is one. */
    void println(String line) {
        if (pending == null) {
            out.println(line);
        } else {
            held.append(line).append(System.lineSeparator());
        }
    }

    private void show(long iteration, double smoothLoss, int[] drawn) throws IOException {
        String text = vocabulary.decode(drawn);
        out.println("----\n " + text + " \n----");
        if (metrics != null) {
            metrics.sample(iteration, smoothLoss, text);
        }
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
