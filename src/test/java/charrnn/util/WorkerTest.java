package charrnn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The worker thread: a task that throws surfaces on the caller (no hang), and close ends the thread. */
class WorkerTest {
    @Test
    void aTaskThatThrowsSurfacesOnTheCallerAndTheWorkerGoesOn() {
        Worker worker = new Worker("test-worker");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            IllegalStateException bug = new IllegalStateException("a bug in the worker's task");
            worker.fork(() -> {
                throw bug;
            });
            assertSame(bug, assertThrows(IllegalStateException.class, worker::join));
            OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
            worker.fork(() -> {
                throw oom;
            });
            assertSame(oom, assertThrows(OutOfMemoryError.class, worker::join), "an Error surfaces as it was");
            AtomicInteger ran = new AtomicInteger();
            worker.fork(ran::incrementAndGet);
            worker.join();
            assertEquals(1, ran.get(), "the worker still runs tasks");
            assertEquals(3, worker.tasksDone());
        });
        worker.close();
        assertFalse(worker.isAlive());
        assertThrows(IllegalStateException.class, () -> worker.fork(() -> { }));
    }

    @Test
    void anIdleParkedWorkerWakesForTheNextTaskAndCloses() throws InterruptedException {
        Worker worker = new Worker("test-worker");
        Thread.sleep(20);   // past the millisecond of spinning: parked
        AtomicInteger ran = new AtomicInteger();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            worker.fork(ran::incrementAndGet);
            worker.join();
        });
        assertEquals(1, ran.get());
        Thread.sleep(20);
        assertTrue(worker.isAlive());
        worker.close();   // wakes the parked thread, which ends
        assertFalse(worker.isAlive());
    }
}
