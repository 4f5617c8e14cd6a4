package charrnn.train;

/** Releasing what a half-built object had opened when its construction fails. */
final class Resources {
    private Resources() {
    }

    /**
     * Closes each non-null resource, adding whatever a close throws to {@code failure} as suppressed (the
     * caller then rethrows {@code failure}).
     */
    static void closeAfter(Throwable failure, AutoCloseable... resources) {
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
