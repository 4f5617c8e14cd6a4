package charrnn.util;

/**
 * Time per phase of the fast engine, on when the JVM runs with {@code -Dcharrnn.profile=true} (the
 * launcher passes {@code CHARRNN_PROFILE=1} through). Off, every call compiles away.
 */
public final class Profile {
    public static final boolean ENABLED = Boolean.getBoolean("charrnn.profile");

    public enum Phase {
        FORWARD_RECURRENCE("forward recurrence (gemv + tanh per step)"),
        WINDOW_PRODUCTS("whole-window products (4 gemm)"),
        SOFTMAX_LOSS("softmax + loss"),
        BACKWARD_RECURRENCE("backward recurrence (tanh' + gemv per step)"),
        SUMS_AND_SCATTER("input gather, bias sums, dWxh scatter"),
        CLIP_ADAGRAD("clip + Adagrad"),
        SAMPLING("sampling"),
        VALIDATION("scoring held-out text"),
        OTHER("windows, bookkeeping, checkpoints");

        final String label;
        long nanos;

        Phase(String label) {
            this.label = label;
        }
    }

    private static long mark;
    private static long iterations;
    private static boolean paused;   // inside a phase that the engine's own charges must not split

    private Profile() {
    }

    /** Starts timing from now. */
    public static void start() {
        if (ENABLED) {
            mark = System.nanoTime();
        }
    }

    /** Charges the time since the last mark to {@code phase}. */
    public static void charge(Phase phase) {
        if (ENABLED && !paused) {
            long now = System.nanoTime();
            phase.nanos += now - mark;
            mark = now;
        }
    }

    /** Starts a stretch that {@link #end} charges as a whole to one phase, whatever is charged meanwhile. */
    public static void begin() {
        charge(Phase.OTHER);
        paused = true;
    }

    /** Ends what {@link #begin} began, charging it to {@code phase}. */
    public static void end(Phase phase) {
        paused = false;
        charge(phase);
    }

    public static void countIteration() {
        if (ENABLED) {
            iterations++;
        }
    }

    /** Microseconds per iteration in each phase. */
    public static String report() {
        StringBuilder sb = new StringBuilder(String.format("profile over %d iterations (µs per iteration):%n",
                iterations));
        long total = 0;
        for (Phase p : Phase.values()) {
            total += p.nanos;
        }
        for (Phase p : Phase.values()) {
            sb.append(String.format("  %-45s %9.1f  %5.1f%%%n", p.label, p.nanos / 1e3 / Math.max(1, iterations),
                    100.0 * p.nanos / Math.max(1, total)));
        }
        sb.append(String.format("  %-45s %9.1f%n", "total", total / 1e3 / Math.max(1, iterations)));
        return sb.toString();
    }
}
