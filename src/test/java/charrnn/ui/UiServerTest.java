package charrnn.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.api.CharRnn;
import charrnn.api.Generation;
import charrnn.api.Training;
import charrnn.metrics.MetricsLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live page's server at the HTTP level: what it serves, what it pushes, what it refuses. */
class UiServerTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private UiServer ui;

    @AfterEach
    void stop() {
        if (ui != null) {
            ui.close();
        }
    }

    private UiServer serve(Path folder) throws IOException {
        ui = UiServer.start(folder, "127.0.0.1", 0);
        return ui;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ui.address() + path.substring(1))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A server-sent-event stream, read on a thread of its own into a queue. */
    private final class Events implements AutoCloseable {
        record Event(String type, String data) {
        }

        final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        final InputStream body;

        Events(String path) throws Exception {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(ui.address() + path.substring(1)))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            body = r.body();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    String type = null;
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.startsWith("event: ")) {
                            type = line.substring(7);
                        } else if (line.startsWith("data: ")) {
                            queue.add(new Event(type, line.substring(6)));
                        }
                    }
                } catch (IOException closed) {
                    // the test closed the stream
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** The next event of {@code type} within {@code millis}, skipping others; null if none came. */
        Event next(String type, long millis) throws InterruptedException {
            long end = System.nanoTime() + millis * 1_000_000;
            while (true) {
                Event e = queue.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (e == null || e.type().equals(type)) {
                    return e;
                }
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void servesThePageAndItsAssetsAndNothingElse() throws Exception {
        serve(dir);
        append(dir.resolve(MetricsLog.METRICS), MetricsLog.HEADER + "\n");
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("uPlot.iife.min.js") && page.body().contains("app.js"), page.body());
        assertEquals(200, get("/index.html").statusCode());
        assertTrue(get("/app.js").body().contains("EventSource"));
        assertTrue(get("/uPlot.iife.min.js").body().contains("uPlot"));
        assertEquals(200, get("/uPlot.min.css").statusCode());
        for (String path : new String[] {"/metrics.csv", "/../metrics.csv", "/%2e%2e/metrics.csv",
            "/" + dir.resolve("metrics.csv"), "//etc/passwd", "/app.js/../index.html", "/x"}) {
            String sent = path.substring(1).replace("//", "/%2F");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ui.address() + sent)).build(),
                    HttpResponse.BodyHandlers.ofString());
            // refused by the page (404), or, for a path that starts with two slashes or holds an encoded one,
            // already by the JDK's server (400, from 17.0.21 on)
            boolean odd = sent.startsWith("/") || sent.contains("%2F");
            int refused = odd && r.statusCode() == 400 ? 400 : 404;
            assertEquals(refused, r.statusCode(), path);
        }
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(ui.address()))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(ui.address()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals(Long.toString(page.body().getBytes(StandardCharsets.UTF_8).length),
                head.headers().firstValue("Content-Length").orElse(""));
        HttpResponse<String> headEvents = http.send(HttpRequest.newBuilder(URI.create(ui.address() + "events"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, headEvents.statusCode());
        assertEquals("GET", headEvents.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void pushesNewRowsAndSamplesWithinASecondToEveryClient() throws Exception {
        Path run = dir.resolve("run");   // no run yet: the page waits for it
        serve(run);
        List<Events> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                clients.add(new Events("/events"));
            }
            for (Events c : clients) {
                assertNotNull(c.next("hello", 2000));
            }
            Files.createDirectories(run);
            append(run.resolve(MetricsLog.METRICS), MetricsLog.HEADER + "\n0,4.418840,4.418658,,102,0.2\n");
            for (Events c : clients) {
                assertEquals("[0,4.418840,4.418658,null,102,0.2,4.418658]", c.next("row", 2000).data());
            }
            long appended = System.nanoTime();
            append(run.resolve(MetricsLog.METRICS), "100,4.1,3.9,3.8,150000,1.5\n");
            append(run.resolve(MetricsLog.SAMPLES), "iter 100, loss: 102.5\nCall me Ishmael.\n\nAnd then\n\n");
            for (Events c : clients) {
                assertEquals("[100,4.1,3.9,3.8,150000,1.5,1.069957]", c.next("row", 1000).data());
                Events.Event sample = c.next("sample", 1000);
                assertNotNull(sample, "the sample came within a second");
                assertEquals("{\"iteration\":100,\"text\":\"Call me Ishmael.\\n\\nAnd then\"}", sample.data());
            }
            assertTrue(System.nanoTime() - appended < 1_500_000_000L);
            // a corrupt row is skipped with a note; a later client gets the history (the training curve of
            // these made-up rows, whose smooth and window losses do not agree, comes out below zero)
            append(run.resolve(MetricsLog.METRICS), "200,oops,,,\n300,3.0,2.9,,140000,2.5\r\n");
            Events late = new Events("/events");
            clients.add(late);
            assertTrue(late.next("note", 2000).data().contains("skipped line 4 of metrics.csv"));
            assertEquals("[300,3.0,2.9,null,140000,2.5,-1.965580]", late.next("row", 2000).data());
            // a new run in the folder moves the files aside: the page starts over
            Files.move(run.resolve(MetricsLog.METRICS), run.resolve("metrics-1.csv"));
            append(run.resolve(MetricsLog.METRICS), MetricsLog.HEADER + "\n0,4.5,4.5,,99,0.1\n");
            assertNotNull(late.next("reset", 2000));
            assertEquals("[0,4.5,4.5,null,99,0.1,4.500000]", late.next("row", 2000).data());
        } finally {
            for (Events c : clients) {
                c.close();
            }
        }
    }

    @Test
    void generatesWhatCharRnnGeneratesAndRefusesBadRequests() throws Exception {
        Path corpus = dir.resolve("text.txt");
        Files.writeString(corpus, "the quick brown fox jumps over the lazy dog. ".repeat(40), StandardCharsets.UTF_8);
        Path run = dir.resolve("run");
        Training.builder().corpus(corpus).hiddenSize(16).maxIterations(60).sampleEvery(0).logEvery(0)
                .checkpointDir(run).build().run();
        serve(run);
        String expected = CharRnn.load(run.resolve("latest.npz"))
                .generate("the ", Generation.length(300).temperature(0.8).topK(5).topP(0.9).seed(7)).substring(4);
        StringBuilder got = new StringBuilder();
        try (Events g = new Events("/generate?start=" + URLEncoder.encode("the ", StandardCharsets.UTF_8)
                + "&length=300&temperature=0.8&topK=5&topP=0.9&seed=7&checkpoint=latest.npz")) {
            assertTrue(g.next("start", 5000).data().contains("\"iteration\":60"));
            for (int i = 0; i < 300; i++) {
                Events.Event c = g.next("char", 5000);
                got.append(com.google.gson.JsonParser.parseString(c.data()).getAsString());
            }
            assertNotNull(g.next("done", 5000));
        }
        assertEquals(expected, got.toString());

        String[][] bad = {
            {"length=0", "length must be an integer from 1 to 10000, got 0"},
            {"length=10001", "length must be an integer from 1 to 10000, got 10001"},
            {"length=x", "length must be an integer from 1 to 10000, got x"},
            {"temperature=-0.5", "temperature must be a number from 0 to 10, got -0.5"},
            {"temperature=10.5", "temperature must be a number from 0 to 10, got 10.5"},
            {"temperature=NaN", "temperature must be a number from 0 to 10, got NaN"},
            {"topK=-1", "topK must be an integer from 0 to 2147483647, got -1"},
            {"topP=0", "topP must be a number in (0, 1], got 0"},
            {"topP=1.5", "topP must be a number in (0, 1], got 1.5"},
            {"seed=1.5", "seed must be an integer, got 1.5"},
            {"start=", "start must not be empty"},
            {"start=%E2%98%83", "the start text has U+2603, which the model does not know"},
            {"checkpoint=..%2Flatest.npz", "no checkpoint ../latest.npz in the run folder"},
            {"checkpoint=" + URLEncoder.encode(run.resolve("latest.npz").toString(), StandardCharsets.UTF_8),
                "no checkpoint " + run.resolve("latest.npz") + " in the run folder"},
            {"checkpoint=metrics.csv", "no checkpoint metrics.csv in the run folder"},
        };
        for (String[] b : bad) {
            HttpResponse<String> r = get("/generate?" + b[0]);
            assertEquals(400, r.statusCode(), b[0]);
            assertEquals(b[1] + "\n", r.body(), b[0]);
        }

        // at most MAX_GENERATIONS at once
        ui.generationSlots().acquire(UiServer.MAX_GENERATIONS);
        try {
            HttpResponse<String> busy = get("/generate?start=t&length=5");
            assertEquals(429, busy.statusCode());
            assertTrue(busy.body().startsWith("too many generations at once"), busy.body());
        } finally {
            ui.generationSlots().release(UiServer.MAX_GENERATIONS);
        }

        // a client that leaves mid-generation ends it and frees its slot
        Events leaving = new Events("/generate?start=t&length=10000");
        assertNotNull(leaving.next("char", 5000));
        leaving.close();
        long end = System.nanoTime() + 5_000_000_000L;
        while ((ui.generationsRunning() > 0 || ui.abandoned() == 0) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals(0, ui.generationsRunning(), "the slot is free");
        assertEquals(1, ui.abandoned(), "the generation ended when its client left, before its 10,000 characters");
    }
}
