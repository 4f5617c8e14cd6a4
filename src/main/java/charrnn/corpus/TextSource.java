package charrnn.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.io.IOUtils;

/**
 * Where a corpus's bytes come from: a local file ({@link #of(Path)}), or any store that can open its bytes
 * at an offset (charrnn-spark reads through Hadoop's FileSystem, so that {@code hdfs:} paths work). The text
 * is read again from its start or from a stream's offset whenever a stream starts over, so a source must
 * give the same bytes every time.
 */
public interface TextSource {
    /** The source as the user gave it, for messages. */
    String name();

    /** Where a checkpoint records the text came from: an absolute path, or a URI. */
    String location();

    /** Its length in bytes. */
    long size() throws IOException;

    /** Its bytes from {@code offset} on. */
    InputStream openAt(long offset) throws IOException;

    /** A local file. */
    static TextSource of(Path path) {
        return new LocalFile(path);
    }

    /** A file of the local file system. */
    record LocalFile(Path path) implements TextSource {
        @Override
        public String name() {
            return path.toString();
        }

        @Override
        public String location() {
            return path.toAbsolutePath().normalize().toString();
        }

        @Override
        public long size() throws IOException {
            return Files.size(path);
        }

        @Override
        public InputStream openAt(long offset) throws IOException {
            InputStream in = Files.newInputStream(path);
            try {
                IOUtils.skipFully(in, offset);
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
            return in;
        }
    }
}
