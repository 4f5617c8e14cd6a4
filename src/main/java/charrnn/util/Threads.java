package charrnn.util;

/** The thread count of a run ({@code --threads}): its default and its bounds, in one place. */
public final class Threads {
    /** The most threads a run takes. */
    public static final int MAX = 1024;

    private Threads() {
    }

    /** The default: the cores the JVM sees (which honours a container's CPU limit). */
    public static int available() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** {@code n} if it is 1 to {@link #MAX}; else IllegalArgumentException with the flag's message. */
    public static int check(int n) {
        if (n < 1 || n > MAX) {
            throw new IllegalArgumentException("--threads must be 1 to " + MAX + ", got " + n);
        }
        return n;
    }
}
