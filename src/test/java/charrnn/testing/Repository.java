package charrnn.testing;

import java.nio.file.Path;

/**
 * The repository's own files in tests, found through Maven's {@code basedir} (surefire sets it), never
 * through the working folder: the tests run in a folder of their own (target/test-run).
 */
public final class Repository {
    private Repository() {
    }

    /** The file at {@code relative} in the repository. */
    public static Path file(String relative) {
        String basedir = System.getProperty("basedir");
        if (basedir == null) {
            throw new IllegalStateException("the basedir property is not set: run the tests with Maven");
        }
        return Path.of(basedir).resolve(relative);
    }
}
