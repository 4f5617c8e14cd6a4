package charrnn.model;

import charrnn.util.Profile;

/**
 * Where one thread of {@link FastNetwork} spends an iteration, by kind of work, on when the JVM runs with
 * {@code -Dcharrnn.profile=true} (off, {@link #begin} returns 0 and {@link #end} does nothing).
 * bench/Roofline.java reads thread 0's clock: its sections are the iteration's wall time, and the time it
 * waits for the other threads at the end of a section is {@link Phase#WAIT}.
 */
public final class PhaseClock {
    /** The kinds of work of an iteration. */
    public enum Phase {
        STEP_PRODUCTS("per-step products (h Whᵀ, dz Wh)"),
        CELLS("cell steps (gates, c, h and their gradients)"),
        WINDOW_PRODUCTS("whole-window products (input side, decoder, weight gradients)"),
        SOFTMAX_LOSS("softmax, loss and dy"),
        WINDOW_ELEMENTWISE("dropout masks, bias sums, per-character sums"),
        OPTIMIZER("gradient scale, clip, optimizer step"),
        WAIT("waiting for the other threads");

        public final String label;

        Phase(String label) {
            this.label = label;
        }
    }

    private final long[] nanos = new long[Phase.values().length];

    /** The start of a stretch of work, for {@link #end}. */
    long begin() {
        return Profile.ENABLED ? System.nanoTime() : 0;
    }

    /** Charges the time since {@code start} (from {@link #begin}) to {@code phase}. */
    void end(Phase phase, long start) {
        if (Profile.ENABLED) {
            nanos[phase.ordinal()] += System.nanoTime() - start;
        }
    }

    /** Nanoseconds charged so far to {@code phase}. */
    public long nanos(Phase phase) {
        return nanos[phase.ordinal()];
    }
}
