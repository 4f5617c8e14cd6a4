package charrnn.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

/**
 * The Windows launcher's question (charrnn.cmd), asked of the jar itself so that it needs nothing but Java:
 * is {@code target/charrnn.jar} missing, or older than {@code pom.xml} or a file or folder under
 * {@code src/main}? That is what {@code find -newer} tells {@code ./charrnn}. Exit code 0 when the jar is up
 * to date, 1 when it must be built.
 */
public final class JarUpToDate {
    private JarUpToDate() {
    }

    /** {@code java -cp target/charrnn.jar charrnn.cli.JarUpToDate CHARRNN_FOLDER} */
    public static void main(String[] args) throws IOException {
        System.exit(args.length == 1 && upToDate(Path.of(args[0])) ? 0 : 1);
    }

    /** Whether {@code home}'s target/charrnn.jar exists and nothing of pom.xml and src/main is newer. */
    public static boolean upToDate(Path home) throws IOException {
        Path jar = home.resolve("target").resolve("charrnn.jar");
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        FileTime built = Files.getLastModifiedTime(jar);
        try (Stream<Path> sources = Stream.concat(Stream.of(home.resolve("pom.xml")),
                Files.walk(home.resolve("src").resolve("main")))) {
            return sources.noneMatch(source -> modified(source).compareTo(built) > 0);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
