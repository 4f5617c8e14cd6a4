package charrnn.ui;

import charrnn.metrics.MetricsLog;
import charrnn.metrics.MetricsRow;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What the page shows of a run folder, read from its files only (so it works for a run in another process,
 * a finished one, and across --resume and new runs): the rows of metrics.csv, the samples of samples.txt and
 * the model of the newest checkpoint's meta.json. A thread of its own polls the files every
 * {@link #POLL_MILLIS} ms and reads only what was appended; a file that shrank or was replaced (a new run
 * moved it aside) starts the page over. Subscribers get the history first, then each new event.
 */
final class RunWatcher implements AutoCloseable {
    static final int POLL_MILLIS = 200;
    private static final Pattern SAMPLE_HEADER = Pattern.compile("iter (\\d{1,18}), loss: ([0-9.eE+-]+|NaN|Infinity)\n");
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");

    /** An event for the page: its kind (reset, row, sample, model, checkpoints, note) and its JSON. */
    record Event(String type, String json) {
    }

    private final Path dir;
    private final List<Event> history = new ArrayList<>();
    private final List<Consumer<Event>> subscribers = new ArrayList<>();
    private final Thread poller;
    private volatile boolean closed;
    private Event plan;
    private String lastNote;

    private final Tail metrics = new Tail();
    private final Tail samples = new Tail();
    private long metricsLine;                // lines of metrics.csv read so far (1 = its header)
    private MetricsRow previousRow;          // the last row read, for the training curve (null: none yet)
    private FileTime checkpointSeen;          // latest.npz's last-modified time when last read
    private String checkpointList = "";

    /** A file read from where it was last read, with what was left unparsed. */
    private static final class Tail {
        Object key;            // the file's identity (inode), or its creation time
        long offset;
        StringBuilder pending = new StringBuilder();
        boolean grew;          // the last poll read something
    }

    private record FileTime(long millis, long size) {
    }

    RunWatcher(Path dir) {
        this.dir = dir;
        this.poller = new Thread(this::pollUntilClosed, "charrnn-ui-watch");
        poller.setDaemon(true);
    }

    void start() {
        poll();
        poller.start();
    }

    /** What the training process knows beyond the files (its --max-iterations), for every page. */
    synchronized void plan(String json) {
        plan = new Event("plan", json);
        for (Consumer<Event> s : List.copyOf(subscribers)) {
            s.accept(plan);
        }
    }

    /** The history so far, then every new event, to {@code s} (from the polling thread). */
    synchronized void subscribe(Consumer<Event> s) {
        if (plan != null) {
            s.accept(plan);
        }
        history.forEach(s);
        subscribers.add(s);
    }

    synchronized void unsubscribe(Consumer<Event> s) {
        subscribers.remove(s);
    }

    private synchronized void emit(String type, String json) {
        Event e = new Event(type, json);
        if (type.equals("reset")) {
            history.clear();
        } else {
            history.add(e);
        }
        for (Consumer<Event> s : List.copyOf(subscribers)) {
            s.accept(e);
        }
    }

    private void pollUntilClosed() {
        while (!closed) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            poll();
        }
    }

    /** Reads what the folder's files gained since the last poll. */
    synchronized void poll() {
        try {
            pollMetrics();
            pollSamples();
            pollCheckpoints();
        } catch (IOException | RuntimeException e) {
            note("could not read " + dir + ": " + e.getMessage());
        }
    }

    /** A note for the page, once: the same trouble on every poll is not repeated. */
    private void note(String text) {
        if (!text.equals(lastNote)) {
            lastNote = text;
            emit("note", quote(text));
        }
    }

    private void pollMetrics() throws IOException {
        Path file = dir.resolve(MetricsLog.METRICS);
        if (!advance(file, metrics)) {
            return;
        }
        int nl;
        while ((nl = metrics.pending.indexOf("\n")) >= 0) {
            String line = metrics.pending.substring(0, nl).strip();
            metrics.pending.delete(0, nl + 1);
            metricsLine++;
            if (metricsLine == 1 && line.equals(MetricsLog.HEADER) || line.isEmpty()) {
                continue;
            }
            String row = row(line, previousRow);
            if (row != null) {
                previousRow = MetricsRow.parse(line);
            }
            if (row == null) {
                note(String.format(Locale.ROOT, "skipped line %d of %s: not a row of numbers", metricsLine,
                        file.getFileName()));
            } else {
                emit("row", row);
            }
        }
    }

    /**
     * A metrics.csv row as JSON [iteration, smooth, train, val|null, chars/s, elapsed, the training curve's
     * value ({@link MetricsRow#intervalMean} after {@code previous}, which may be null)], or null if malformed.
     */
    static String row(String line, MetricsRow previous) {
        MetricsRow parsed = MetricsRow.parse(line);
        if (parsed == null) {
            return null;
        }
        String[] cells = line.split(",", -1);
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i].strip();
            json.append(i > 0 ? "," : "").append(cell.isEmpty() ? "null"
                    : JSON_NUMBER.matcher(cell).matches() ? cell : Double.toString(Double.parseDouble(cell)));
        }
        return json.append(',').append(String.format(Locale.ROOT, "%.6f", MetricsRow.intervalMean(previous, parsed)))
                .append(']').toString();
    }

    private void pollSamples() throws IOException {
        Path file = dir.resolve(MetricsLog.SAMPLES);
        boolean read = advance(file, samples);
        StringBuilder p = samples.pending;
        while (true) {
            Matcher header = SAMPLE_HEADER.matcher(p);
            if (!header.lookingAt()) {
                int next = p.indexOf("\n\niter ");
                if (p.length() > 0 && next >= 0) {
                    p.delete(0, next + 2);   // not a sample's start: skip to the next one
                    continue;
                }
                return;
            }
            // the text runs to the blank line before the next header, or to the file's end once it stops growing
            int end = -1;
            for (int from = header.end(); ; ) {
                int i = p.indexOf("\n\niter ", from);
                if (i < 0) {
                    break;
                }
                if (SAMPLE_HEADER.matcher(p).region(i + 2, p.length()).lookingAt()) {   // (no copy of the rest)
                    end = i;
                    break;
                }
                from = i + 1;
            }
            if (end < 0) {
                if (read && samples.grew || p.length() < header.end() + 2 || !p.toString().endsWith("\n\n")) {
                    return;   // maybe still being written
                }
                end = p.length() - 2;
            }
            JsonObject o = new JsonObject();
            o.addProperty("iteration", Long.parseLong(header.group(1)));
            o.addProperty("text", p.substring(header.end(), end));
            emit("sample", o.toString());
            p.delete(0, Math.min(p.length(), end + 2));
        }
    }

    private void pollCheckpoints() throws IOException {
        List<String> names;
        if (!Files.isDirectory(dir)) {
            names = List.of();
        } else {
            try (Stream<Path> files = Files.list(dir)) {
                names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".npz")).sorted().toList();
            }
        }
        String list = names.toString();
        if (!list.equals(checkpointList)) {
            checkpointList = list;
            com.google.gson.JsonArray a = new com.google.gson.JsonArray();
            names.forEach(a::add);
            emit("checkpoints", a.toString());
        }
        Path latest = dir.resolve("latest.npz");
        FileTime t;
        try {
            BasicFileAttributes attrs = Files.readAttributes(latest, BasicFileAttributes.class);
            t = new FileTime(attrs.lastModifiedTime().toMillis(), attrs.size());
        } catch (NoSuchFileException e) {
            return;
        }
        if (t.equals(checkpointSeen)) {
            return;
        }
        checkpointSeen = t;
        String model = model(latest);
        if (model == null) {
            note("could not read the model of " + latest.getFileName());
        } else {
            emit("model", model);
        }
    }

    /** meta.json of a checkpoint, without its vocabulary (its size instead), or null when unreadable. */
    static String model(Path checkpoint) {
        try (ZipFile zip = new ZipFile(checkpoint.toFile())) {
            ZipEntry entry = zip.getEntry("meta.json");
            if (entry == null || entry.getSize() > 1 << 24) {
                return null;
            }
            try (InputStream in = zip.getInputStream(entry)) {
                JsonElement meta = JsonParser.parseString(new String(in.readNBytes(1 << 24), StandardCharsets.UTF_8));
                JsonObject o = meta.getAsJsonObject();
                if (o.has("vocab")) {
                    o.addProperty("vocabSize", o.getAsJsonArray("vocab").size());
                    o.remove("vocab");
                }
                o.addProperty("file", checkpoint.getFileName().toString());
                return o.toString();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Reads what {@code file} gained into its tail; a replaced or shorter file starts the page over.
     *
     * @return whether the file exists
     */
    private boolean advance(Path file, Tail tail) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            tail.grew = false;
            return false;
        }
        Object key = attrs.fileKey() != null ? attrs.fileKey() : attrs.creationTime();
        if (tail.key != null && (!Objects.equals(key, tail.key) || attrs.size() < tail.offset)) {
            restart();
        }
        tail.key = key;
        tail.grew = false;
        if (attrs.size() > tail.offset) {
            try (SeekableByteChannel c = Files.newByteChannel(file)) {
                c.position(tail.offset);
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) Math.min(attrs.size() - tail.offset, 1 << 22));
                int n = c.read(b);
                if (n > 0) {
                    // only whole UTF-8 characters: a character cut by the read waits for the next poll
                    int whole = n;
                    int lead = n - 1;
                    while (lead > 0 && (b.get(lead) & 0xC0) == 0x80) {
                        lead--;
                    }
                    int first = b.get(lead) & 0xFF;
                    int length = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2;
                    if (lead + length > n) {
                        whole = lead;
                    }
                    // (a file written with Windows line ends reads as one written with \n)
                    tail.pending.append(new String(b.array(), 0, whole, StandardCharsets.UTF_8).replace("\r\n", "\n"));
                    tail.offset += whole;
                    tail.grew = whole > 0;
                }
            }
        }
        return true;
    }

    /** A new run in the folder (or a truncated file): the page starts over, and so does every file's tail. */
    private void restart() {
        for (Tail t : new Tail[] {metrics, samples}) {
            t.key = null;
            t.offset = 0;
            t.pending.setLength(0);
        }
        metricsLine = 0;
        previousRow = null;
        checkpointSeen = null;
        checkpointList = "";
        emit("reset", "{}");
    }

    static String quote(String s) {
        return new com.google.gson.JsonPrimitive(s).toString();
    }

    @Override
    public void close() {
        closed = true;
        poller.interrupt();
    }
}
