package charrnn.compress;

import charrnn.util.Threads;
import charrnn.util.Worker;
import java.util.function.IntConsumer;

/**
 * The threads a coding model shares its window's work out over: the calling thread and N − 1
 * {@link Worker}s. Work is given in parts, part k to thread k, and every part computes whole values (rows
 * of a gradient, ranges of parameters), so that what each value is does not depend on N.
 */
final class CodingThreads implements AutoCloseable {
    private final Worker[] workers;

    CodingThreads(int threads) {
        Threads.check(threads);
        workers = new Worker[threads - 1];
        for (int t = 1; t < threads; t++) {
            workers[t - 1] = new Worker("charrnn-compress-" + t);
        }
    }

    /** N. */
    int count() {
        return workers.length + 1;
    }

    /** Runs {@code work} for part k on thread k, for k in [0, N), and waits for all. */
    void run(IntConsumer work) {
        for (int t = 1; t < count(); t++) {
            int part = t;
            workers[t - 1].fork(() -> work.accept(part));
        }
        try {
            work.accept(0);
        } finally {
            for (Worker w : workers) {
                w.join();
            }
        }
    }

    @Override
    public void close() {
        for (Worker w : workers) {
            w.close();
        }
    }
}
