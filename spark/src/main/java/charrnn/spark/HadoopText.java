package charrnn.spark;

import charrnn.corpus.CorpusException;
import charrnn.corpus.TextSource;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A corpus read through Hadoop's FileSystem API, so that any path Spark can read works ({@code file:},
 * {@code hdfs:}, {@code s3a:} with its connector on the classpath). Serializable: each worker opens the
 * file itself, at its streams' byte offsets, with the driver's Hadoop configuration.
 */
final class HadoopText implements TextSource, Serializable {
    private static final long serialVersionUID = 1L;

    private final String given;              // as the user wrote it
    private final String uri;                // fully qualified
    private final Map<String, String> conf;  // the driver's Hadoop configuration
    private transient FileSystem fs;

    private HadoopText(String given, String uri, Map<String, String> conf) {
        this.given = given;
        this.uri = uri;
        this.conf = conf;
    }

    /**
     * The file at {@code path} (a path of the default file system, or a URI), checked to be a readable file.
     *
     * @throws CorpusException no such file, a directory, or a file system that cannot be reached
     */
    static HadoopText open(String path, Configuration hadoop) {
        Map<String, String> conf = new HashMap<>();
        hadoop.forEach(e -> conf.put(e.getKey(), e.getValue()));
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(hadoop);
            FileStatus status = fs.getFileStatus(p);
            if (status.isDirectory()) {
                throw new CorpusException(path + " is a directory, not a text file");
            }
            HadoopText text = new HadoopText(path, fs.makeQualified(p).toString(), conf);
            text.openAt(0).close();   // readable
            return text;
        } catch (FileNotFoundException e) {
            throw new CorpusException(path + ": no such file");
        } catch (org.apache.hadoop.security.AccessControlException e) {
            throw new CorpusException(path + " is not readable");
        } catch (IOException | IllegalArgumentException e) {
            throw new CorpusException(path + " cannot be read: " + oneLine(e));
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private FileSystem fs() throws IOException {
        if (fs == null) {
            Configuration c = new Configuration(false);
            conf.forEach(c::set);
            fs = new Path(uri).getFileSystem(c);
        }
        return fs;
    }

    @Override
    public String name() {
        return given;
    }

    @Override
    public String location() {
        return uri;
    }

    @Override
    public long size() throws IOException {
        return fs().getFileStatus(new Path(uri)).getLen();
    }

    @Override
    public InputStream openAt(long offset) throws IOException {
        FSDataInputStream in = fs().open(new Path(uri));
        try {
            in.seek(offset);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        return in;
    }
}
