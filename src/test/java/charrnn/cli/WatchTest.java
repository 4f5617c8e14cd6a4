package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Held-out loss, metrics.csv, samples.txt and loss.png through the command line. */
class WatchTest {
    @TempDir
    Path dir;

    private Path text() throws IOException {
        return Files.writeString(dir.resolve("text.txt"), "the sea, the whale and the ship. ".repeat(30),
                StandardCharsets.UTF_8);
    }

    private String[] train(Path text, Path ck, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", text.toString(), "--hidden-size", "8",
                "--seq-length", "5", "--sample-every", "20", "--sample-length", "10", "--log-every", "10",
                "--checkpoint-dir", ck.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void metricsContinueAcrossAResume() throws IOException {
        Path text = text();
        Path ck = dir.resolve("ck");
        CliRunner.Result first = CliRunner.run(train(text, ck, "--max-iterations", "30", "--val-fraction", "0.1",
                "--eval-every", "20")).assertOk();
        assertTrue(first.out().contains("training on the first 891, holding out the last 99 for validation."),
                first.out());
        assertTrue(first.out().matches("(?s).*\nval loss \\d+\\.\\d{4} nats/char \\(\\d+\\.\\d{4} bits/char\\)\n.*"),
                first.out());
        CliRunner.run("train", "--resume", "latest", "--checkpoint-dir", ck.toString(), "--max-iterations", "50",
                "--log-every", "10", "--eval-every", "20", "--sample-every", "20").assertOk();

        List<String> lines = Files.readAllLines(ck.resolve("metrics.csv"));
        assertEquals("iteration,smooth_loss_per_char,train_loss_per_char,val_loss_per_char,chars_per_second,"
                + "elapsed_seconds", lines.get(0));
        List<Long> iterations = lines.stream().skip(1).map(l -> Long.parseLong(l.split(",")[0])).toList();
        assertEquals(List.of(0L, 10L, 20L, 29L, 30L, 40L, 49L), iterations);
        List<Double> elapsed = lines.stream().skip(1).map(l -> Double.parseDouble(l.split(",")[5])).toList();
        for (int i = 1; i < elapsed.size(); i++) {
            assertTrue(elapsed.get(i) >= elapsed.get(i - 1), "elapsed time goes on across the resume: " + elapsed);
        }
        // validation at 0, 20, the end of the first run (29), 40 and the end (49)
        List<String> withVal = lines.stream().skip(1).filter(l -> !l.split(",", -1)[3].isEmpty())
                .map(l -> l.split(",")[0]).toList();
        assertEquals(List.of("0", "20", "29", "40", "49"), withVal);

        String samples = Files.readString(ck.resolve("samples.txt"));
        assertEquals(3, samples.split("iter \\d+, loss: ", -1).length - 1, samples);   // at 0, 20 and 40
        assertTrue(Files.size(ck.resolve("loss.png")) > 1000);
    }

    @Test
    void aResumedRunKeepsItsValidationSplit() throws IOException {
        Path text = text();
        Path ck = dir.resolve("ck");
        CliRunner.run(train(text, ck, "--max-iterations", "10", "--val-fraction", "0.1")).assertOk();
        CliRunner.run("train", "--resume", "latest", "--checkpoint-dir", ck.toString(), "--val-fraction", "0.2")
                .assertOneLineError(2, "--val-fraction 0.2 conflicts with the checkpoint's 0.1");
    }

    @Test
    void badValidationSettingsAndMetricsFiles() throws IOException {
        Path text = text();
        CliRunner.run(train(text, dir.resolve("a"), "--val-fraction", "0.7"))
                .assertOneLineError(2, "--val-fraction must be within [0, 0.5], got 0.7");
        CliRunner.run(train(text, dir.resolve("a"), "--val-fraction", "0.005"))
                .assertOneLineError(2, "leaves 986 for training and 4 for validation");
        Path other = Files.writeString(dir.resolve("other.csv"), "x,y\n1,2\n");
        CliRunner.run("plot", other.toString()).assertOneLineError(1, "is not a charrnn metrics file");
        CliRunner.run("plot", dir.resolve("none.csv").toString()).assertOneLineError(1, "no such file");
    }

    @Test
    void plotDrawsOnDemand() throws IOException {
        Path ck = dir.resolve("ck");
        CliRunner.run(train(text(), ck, "--max-iterations", "30")).assertOk();
        Path png = dir.resolve("mine.png");
        CliRunner.Result r = CliRunner.run("plot", ck.resolve("metrics.csv").toString(), "--output", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(png) > 1000);
        assertEquals("charrnn: wrote " + png + "\n", r.err());
    }
}
