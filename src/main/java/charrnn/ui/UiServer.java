package charrnn.ui;

import charrnn.api.CharRnn;
import charrnn.api.Generation;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The live page of a run folder, on the JDK's own HTTP server ({@code com.sun.net.httpserver}: no dependency,
 * and server-sent events need nothing more than a streamed response). It serves a fixed set of paths and
 * nothing by path from the request: the page, its script, uPlot's script and style (from the uPlot WebJar
 * in the jar), {@code /events} (the run as server-sent events: {@link RunWatcher}) and {@code /generate}
 * (characters from one of the folder's checkpoints, streamed as they are drawn). Every other path is 404.
 * Its threads are its own, daemons, so a busy page never holds up training or the JVM's exit.
 */
public final class UiServer implements AutoCloseable {
    /** Generations running at once; more get 429. */
    public static final int MAX_GENERATIONS = 4;
    /** Event streams open at once; more get 503. */
    public static final int MAX_CLIENTS = 64;
    public static final int MAX_LENGTH = 10_000;
    public static final double MAX_TEMPERATURE = Generation.MAX_TEMPERATURE;
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final long KEEPALIVE_SECONDS = 10;

    private final Path dir;
    private final String requestedHost;
    private final HttpServer server;
    private final ExecutorService threads;
    private final RunWatcher watcher;
    private final Semaphore generations = new Semaphore(MAX_GENERATIONS);
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicInteger abandoned = new AtomicInteger();   // generations a leaving client ended
    private final Map<String, Asset> assets = new HashMap<>();
    private final Map<Path, Loaded> models = new HashMap<>();

    private record Asset(byte[] bytes, String type) {
    }

    private record Loaded(long modified, CharRnn model) {
    }

    private UiServer(Path dir, String host, HttpServer server) throws IOException {
        this.dir = dir;
        this.requestedHost = host;
        this.server = server;
        this.watcher = new RunWatcher(dir);
        asset("/", "/charrnn/ui/index.html", "text/html; charset=utf-8");
        asset("/app.js", "/charrnn/ui/app.js", "text/javascript; charset=utf-8");
        asset("/uPlot.iife.min.js", UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8");
        asset("/uPlot.min.css", UPLOT + "uPlot.min.css", "text/css; charset=utf-8");
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "charrnn-ui");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /**
     * Serves the page of run folder {@code dir} on {@code host}:{@code port} (port 0: any free one).
     *
     * @throws IllegalStateException the port is in use (one-line message)
     */
    public static UiServer start(Path dir, String host, int port) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (BindException e) {
            throw new IllegalStateException("cannot serve the page on " + host + ":" + port + ": "
                    + (e.getMessage() != null ? e.getMessage().toLowerCase(java.util.Locale.ROOT) : "in use"));
        }
        UiServer ui = new UiServer(dir, host, server);
        ui.watcher.start();
        server.start();
        return ui;
    }

    /** The page's address, e.g. http://127.0.0.1:8080/ */
    public String address() {
        InetSocketAddress a = server.getAddress();
        // every address (0.0.0.0, ::): name it as the user did
        String host = a.getAddress().isAnyLocalAddress() ? host() : a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    private String host() {
        return requestedHost;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void asset(String path, String resource, String type) throws IOException {
        try (InputStream in = UiServer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            assets.put(path, new Asset(in.readAllBytes(), type));
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getRawPath();
            boolean head = x.getRequestMethod().equals("HEAD");
            Asset asset = assets.get(path.equals("/index.html") ? "/" : path);
            boolean stream = path.equals("/events") || path.equals("/generate");
            if (!x.getRequestMethod().equals("GET") && !(head && !stream)) {
                x.getResponseHeaders().set("Allow", stream ? "GET" : "GET, HEAD");
                text(x, 405, stream ? "only GET" : "only GET and HEAD");
                return;
            }
            if (asset != null) {
                x.getResponseHeaders().set("Content-Type", asset.type());
                x.getResponseHeaders().set("Cache-Control", "no-cache");
                if (head) {
                    x.getResponseHeaders().set("Content-Length", Integer.toString(asset.bytes().length));
                    x.sendResponseHeaders(200, -1);
                } else {
                    x.sendResponseHeaders(200, asset.bytes().length);
                    x.getResponseBody().write(asset.bytes());
                }
            } else if (head) {
                x.sendResponseHeaders(404, -1);
            } else if (path.equals("/events")) {
                events(x);
            } else if (path.equals("/generate")) {
                generate(x);
            } else {
                text(x, 404, "not found");
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void text(HttpExchange x, int status, String message) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        x.sendResponseHeaders(status, body.length);
        x.getResponseBody().write(body);
    }

    private static void startEvents(HttpExchange x) throws IOException {
        x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        x.getResponseHeaders().set("Cache-Control", "no-cache");
        x.sendResponseHeaders(200, 0);
    }

    private static void send(OutputStream out, String type, String json) throws IOException {
        out.write(("event: " + type + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The run as it is, then as it grows, until the client goes away. */
    private void events(HttpExchange x) throws IOException {
        if (clients.incrementAndGet() > MAX_CLIENTS) {
            clients.decrementAndGet();
            text(x, 503, "too many pages open (" + MAX_CLIENTS + ")");
            return;
        }
        LinkedBlockingQueue<RunWatcher.Event> queue = new LinkedBlockingQueue<>();
        Consumer<RunWatcher.Event> subscriber = queue::add;
        try {
            startEvents(x);
            OutputStream out = x.getResponseBody();
            JsonObject hello = new JsonObject();
            hello.addProperty("name", dir.getFileName() == null ? dir.toString() : dir.getFileName().toString());
            hello.addProperty("path", dir.toString());
            send(out, "hello", hello.toString());
            watcher.subscribe(subscriber);
            while (true) {
                RunWatcher.Event e = queue.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
                if (e == null) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));   // finds a closed client
                    out.flush();
                } else {
                    send(out, e.type(), e.json());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watcher.unsubscribe(subscriber);
            clients.decrementAndGet();
        }
    }

    /** A generation's settings, checked; a bad one is a 400 with its reason. */
    private record Request(Path checkpoint, String start, Generation how) {
    }

    private static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    private Request request(String rawQuery) throws BadRequest {
        Map<String, String> q = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                try {
                    q.put(URLDecoder.decode(key, StandardCharsets.UTF_8),
                            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new BadRequest("the query is not well encoded");
                }
            }
        }
        String name = q.getOrDefault("checkpoint", "latest.npz");
        // a checkpoint of the folder, by its bare name: nothing from the request becomes a path
        Path checkpoint;
        try (var files = Files.list(dir)) {
            checkpoint = files.filter(f -> f.getFileName().toString().equals(name) && name.endsWith(".npz"))
                    .findFirst().orElse(null);
        } catch (IOException e) {
            checkpoint = null;
        }
        if (checkpoint == null) {
            throw new BadRequest("no checkpoint " + name + " in the run folder");
        }
        String start = q.getOrDefault("start", "\n");
        if (start.isEmpty()) {
            throw new BadRequest("start must not be empty");
        }
        int length = (int) number(q, "length", "200", 1, MAX_LENGTH, true);
        double temperature = number(q, "temperature", "1", 0, MAX_TEMPERATURE, false, true);   // 0: greedy
        int topK = (int) number(q, "topK", "0", 0, Integer.MAX_VALUE, true);
        double topP = number(q, "topP", "1", 0, 1, false);
        long seed;
        try {
            seed = Long.parseLong(q.getOrDefault("seed", Long.toString(CharRnn.DEFAULT_SEED)));
        } catch (NumberFormatException e) {
            throw new BadRequest("seed must be an integer, got " + q.get("seed"));
        }
        return new Request(checkpoint, start, Generation.length(length).temperature(temperature).topK(topK)
                .topP(topP).seed(seed));
    }

    private static double number(Map<String, String> q, String key, String otherwise, double min, double max,
                                 boolean integer) throws BadRequest {
        return number(q, key, otherwise, min, max, integer, integer);
    }

    /** A number from the query: an integer or not, from min (included or not) to max (included). */
    private static double number(Map<String, String> q, String key, String otherwise, double min, double max,
                                 boolean integer, boolean minIncluded) throws BadRequest {
        String v = q.getOrDefault(key, otherwise);
        String rule = key + " must be " + (integer ? "an integer from " + (long) min + " to " + (long) max
                : minIncluded ? "a number from " + (long) min + " to " + (long) max
                : "a number in (" + (long) min + ", " + (long) max + "]") + ", got " + v;
        try {
            double d = integer ? Long.parseLong(v) : Double.parseDouble(v);
            if (!((minIncluded ? d >= min : d > min) && d <= max)) {
                throw new BadRequest(rule);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new BadRequest(rule);
        }
    }

    /** Streams the characters of one generation as "char" events, then "done"; a client that leaves ends it. */
    private void generate(HttpExchange x) throws IOException {
        Request r;
        try {
            r = request(x.getRequestURI().getRawQuery());
        } catch (BadRequest e) {
            text(x, 400, e.getMessage());
            return;
        }
        if (!generations.tryAcquire()) {
            text(x, 429, "too many generations at once (" + MAX_GENERATIONS + "); try again when one ends");
            return;
        }
        try {
            generate(x, r);
        } finally {
            generations.release();
        }
    }

    private void generate(HttpExchange x, Request r) throws IOException {
        CharRnn model;
        try {
            model = model(r.checkpoint());
            r.start().codePoints().filter(cp -> !model.knows(cp)).findFirst().ifPresent(cp -> {
                throw new IllegalArgumentException(String.format("the start text has U+%04X, which the model "
                        + "does not know", cp));
            });
        } catch (IllegalArgumentException e) {
            text(x, 400, e.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            text(x, 400, "cannot read the checkpoint: " + e.getMessage());
            return;
        }
        startEvents(x);
        OutputStream out = x.getResponseBody();
        JsonObject from = new JsonObject();
        from.addProperty("checkpoint", r.checkpoint().getFileName().toString());
        from.addProperty("iteration", model.iteration());
        send(out, "start", from.toString());
        boolean[] gone = {false};
        model.generate(r.start(), r.how(), c -> {
            try {
                send(out, "char", RunWatcher.quote(c));
                return true;
            } catch (IOException e) {
                gone[0] = true;
                abandoned.incrementAndGet();
                return false;   // the client went away: stop drawing
            }
        });
        if (!gone[0]) {
            send(out, "done", "{}");
        }
    }

    /** The checkpoint's model, loaded once per version of the file. */
    private CharRnn model(Path checkpoint) throws IOException {
        long modified = Files.getLastModifiedTime(checkpoint).toMillis();
        synchronized (models) {
            Loaded l = models.get(checkpoint);
            if (l != null && l.modified() == modified) {
                return l.model();
            }
        }
        CharRnn m = CharRnn.load(checkpoint).withThreads(1);
        synchronized (models) {
            if (models.size() > 8) {
                models.clear();
            }
            models.put(checkpoint, new Loaded(modified, m));
        }
        return m;
    }

    /** Tells the pages the run's length, so that they can show an ETA (a page of another process has none). */
    public void plan(long maxIterations) {
        watcher.plan("{\"maxIterations\":" + maxIterations + "}");
    }

    /** The generations' slots (the tests hold them to see the 429). */
    Semaphore generationSlots() {
        return generations;
    }

    /** Generations ended early because their client went away. */
    int abandoned() {
        return abandoned.get();
    }

    /** Generations running now. */
    int generationsRunning() {
        return MAX_GENERATIONS - generations.availablePermits();
    }

    @Override
    public void close() {
        watcher.close();
        server.stop(0);
        threads.shutdownNow();
    }
}
