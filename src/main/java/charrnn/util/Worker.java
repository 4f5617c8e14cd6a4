package charrnn.util;

import java.util.concurrent.locks.LockSupport;

/**
 * A second thread that takes one task at a time from the training thread, so that both cores of the
 * machine work on an iteration's biggest loops. Hand-over is a volatile write the worker spins on
 * (sub-microsecond, where a queue or a park/unpark costs tens of microseconds); after a millisecond
 * without work it parks until the next fork unparks it, so that an idle worker (a held-out scorer's
 * between evaluations) takes no time from the threads that train.
 *
 * <p>No fork is missed: the worker sets {@code parked} and then reads {@code task}; fork writes
 * {@code task} and then reads {@code parked} (all volatile). Either the worker sees the task and does
 * not park, or fork sees {@code parked} and unparks, and an unpark that comes before the park makes the
 * park return at once.
 */
public final class Worker {
    private static final long SPIN_NANOS = 1_000_000;

    private final Thread thread;
    private volatile Runnable task;        // set by fork, cleared by the worker when the task is done
    private volatile boolean parked;
    private volatile Throwable failure;
    private volatile boolean closed;
    private volatile long done;            // tasks finished (written by the worker only)

    public Worker(String name) {
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    private Worker() {
        thread = null;
    }

    /**
     * A worker without a thread of its own: fork runs the task at once on the calling thread, and join
     * rethrows what it threw. For one thread running a computation laid out for two, in the same order of
     * operations per value (the two halves of a split never read each other's results).
     */
    public static Worker onCallingThread() {
        return new Worker();
    }

    /** Starts {@code work} on the worker; call {@link #join()} before forking again. */
    public void fork(Runnable work) {
        if (closed) {
            throw new IllegalStateException("the worker is closed");
        }
        if (thread == null) {
            try {
                work.run();
            } catch (Throwable t) {
                failure = t;
            }
            done++;
            return;
        }
        task = work;
        if (closed) {   // (close came between the check above and the write: the thread may have ended)
            task = null;
            throw new IllegalStateException("the worker is closed");
        }
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Waits for the forked task to finish and rethrows what it threw, as it was (an OutOfMemoryError on the
     * worker surfaces on the caller as it would had the caller run the task).
     */
    public void join() {
        while (task != null) {
            Thread.onSpinWait();
        }
        Throwable t = failure;
        if (t != null) {
            failure = null;
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("worker task failed", t);
        }
    }

    /** Stops the thread after the task under way, if any, and waits (up to a second) until it has ended. */
    public void close() {
        closed = true;
        if (thread == null) {
            return;
        }
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The number of tasks the thread has run. */
    public long tasksDone() {
        return done;
    }

    /** Whether the thread is running (a closed worker's is not). */
    public boolean isAlive() {
        return thread != null && thread.isAlive();
    }

    private void loop() {
        long idleSince = System.nanoTime();
        while (!closed || task != null) {
            Runnable work = task;
            if (work != null) {
                try {
                    work.run();
                } catch (Throwable t) {
                    failure = t;
                }
                done++;
                task = null;
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                parked = true;
                if (task == null && !closed) {
                    LockSupport.park(this);
                }
                parked = false;
            }
        }
    }
}
