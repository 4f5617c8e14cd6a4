package charrnn.train;

import charrnn.corpus.Vocabulary;
import charrnn.metrics.MetricsLog;
import charrnn.util.Rng;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The samples a run prints (min-char-rnn's {@code ----\n sample \n----}), and every other line of its
 * output, which goes through here so that the two stay in order.
 *
 * <p>When the model leaves a core free, a sample is drawn on a thread of its own from a copy of the
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
    TrainListener listener = new TrainListener() { };
    private final Vocabulary vocabulary;
    private final Rng rng;
    private final int length;
    private final SampleSource model;
    private final ExecutorService thread;  // null when sampling in place
    private final StringBuilder held = new StringBuilder();
    private MetricsLog metrics;

    private Future<int[]> pending;         // the sample being drawn, if any
    private long pendingIteration;
    private double pendingSmoothLoss;

    /** @param inBackground whether to draw beside training, from copies (see the class comment) */
    Samples(PrintStream out, Vocabulary vocabulary, Rng rng, int length, SampleSource model, boolean inBackground) {
        this.out = out;
        this.vocabulary = vocabulary;
        this.rng = rng;
        this.length = length;
        this.model = model;
        this.thread = inBackground ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "charrnn-sampler");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** Also writes each sample to {@code log}'s samples.txt. */
    void record(MetricsLog log) {
        this.metrics = log;
    }

    /**
     * Draws {@code length} characters from the model and stream 0's state as they are now, the first
     * input {@code seed}; prints them now or, drawn in the background, when {@link #await()} is called.
     */
    void start(long iteration, double smoothLoss, int seed) throws IOException {
        await();
        if (thread == null) {
            try {
                show(iteration, smoothLoss, model.sample(seed, length, rng, false).call());
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("sampling failed", e);
            }
            return;
        }
        pendingIteration = iteration;
        pendingSmoothLoss = smoothLoss;
        pending = thread.submit(model.sample(seed, length, rng, true));
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
        listener.onSample(iteration, text);
        if (metrics != null) {
            metrics.sample(iteration, smoothLoss, text);
        }
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
            try {   // the sample being drawn uses an engine its owner closes next
                thread.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
