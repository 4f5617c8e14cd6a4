package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process. */
class MainTest {
    static CliRunner.Result run(String... args) {
        return CliRunner.run(args);
    }

    @TempDir
    Path dir;
    Path text;

    @BeforeEach
    void writeText() throws IOException {
        text = dir.resolve("text.txt");
        Files.writeString(text, "hello world, hello charrnn. ".repeat(10), StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        CliRunner.Result r = run("train", "--help");
        assertEquals(0, r.code());
        String help = r.out().replaceAll("\\s+", " ");
        for (String option : List.of("--hidden-size", "--seq-length", "--learning-rate", "--clip", "--sample-every",
                "--sample-length", "--log-every", "--max-iterations", "--seed", "--dtype", "--checkpoint-dir", "--val-fraction",
                "--eval-every", "--engine", "--cell", "--layers", "--batch-size", "--optimizer", "--dropout",
                "--max-minutes",
                "--checkpoint-every", "--keep", "--resume", "--corpus-changed", "--help")) {
            assertTrue(r.out().contains(option), option + " in help:\n" + r.out());
        }
        for (String shown : List.of("(default: 100)", "(default: 25)", "(default: 0.1 for adagrad", "(default: 5;",
                "(default: 200)", "(default: 42;", "(default: double for rnn, float for lstm and gru",
                "(default: rnn)", "(default: adagrad for rnn", "(default: 0; with --resume, the checkpoint's)", "(default: no limit)", "run until interrupted", "(default: checkpoints)",
                "(default: 1000)", "(default: 5)", "(default: start afresh)")) {
            assertTrue(help.contains(shown), shown + " in help:\n" + r.out());
        }
        assertEquals(0, run("--help").code());
    }

    @Test
    void optionsReferenceListsExactlyWhatHelpLists() throws IOException {
        CliRunner.Result r = run("train", "--help");
        assertEquals(0, r.code());
        java.util.Set<String> help = new java.util.TreeSet<>();
        java.util.regex.Matcher flag = java.util.regex.Pattern.compile("(?<![\\w-])--[a-z][a-z-]*").matcher(r.out());
        while (flag.find()) {
            help.add(flag.group());
        }
        help.removeAll(List.of("--help", "--version"));
        java.util.Set<String> documented = new java.util.TreeSet<>();
        for (String line : Files.readAllLines(charrnn.testing.Repository.file("docs/options.md"), StandardCharsets.UTF_8)) {
            java.util.regex.Matcher row = java.util.regex.Pattern.compile("^\\| `(--[a-z][a-z-]*)").matcher(line);
            if (row.find()) {
                documented.add(row.group(1));
            }
        }
        assertTrue(help.size() > 20, "flags in help: " + help);
        assertEquals(help, documented, "docs/options.md's rows against `charrnn train --help`");
    }

    /** docs/options.md names exactly the options a resumed run keeps from its checkpoint ({@code TrainOption}). */
    @Test
    void optionsReferenceNamesWhatAResumedRunKeeps() throws IOException {
        String docs = Files.readString(charrnn.testing.Repository.file("docs/options.md"), StandardCharsets.UTF_8);
        java.util.regex.Matcher sentence = java.util.regex.Pattern.compile("On `--resume`, the checkpoint's (.*?) are kept",
                java.util.regex.Pattern.DOTALL).matcher(docs);
        assertTrue(sentence.find(), "the sentence on --resume");
        java.util.Set<String> documented = new java.util.TreeSet<>();
        java.util.regex.Matcher flag = java.util.regex.Pattern.compile("--[a-z-]+").matcher(sentence.group(1));
        while (flag.find()) {
            documented.add(flag.group());
        }
        java.util.Set<String> kept = new java.util.TreeSet<>();
        for (charrnn.api.TrainOption o : charrnn.api.TrainOption.values()) {
            if (o.keptOnResume()) {
                kept.add(o.flag);
            }
        }
        assertEquals(kept, documented);
    }

    @Test
    void trainsAndPrintsWhatMinCharRnnPrints() {
        CliRunner.Result r = run("train", text.toString(), "--hidden-size", "8", "--seq-length", "5", "--max-iterations", "101",
                "--sample-length", "30", "--checkpoint-dir", dir.resolve("ck").toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("data has 280 characters, 13 unique.", lines.get(0));
        assertEquals("----", lines.get(1));
        assertTrue(r.out().contains("\niter 0, loss: "), r.out());
        assertTrue(r.out().matches("(?s).*iter 100, loss: [0-9.]+ \\| [0-9.]+ nats/char, [0-9.]+ bits/char \\| "
                + "[0-9,]+ chars/s \\| 0:00:\\d\\d \\| 100.0%, ETA 0:00:00\ndone at iteration 101; saved "
                + ".*iter-00000101.npz\n"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void saysWhereItSavedWhenTheLastIterationWasAlreadyCheckpointed() {
        Path ck = dir.resolve("ck");
        CliRunner.Result r = run("train", text.toString(), "--hidden-size", "8", "--seq-length", "5", "--max-iterations",
                "40", "--checkpoint-every", "20", "--checkpoint-dir", ck.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().endsWith("done at iteration 40; saved " + ck.resolve("iter-00000040.npz") + "\n"), r.out());
    }

    @Test
    void sameSeedSameOutput() {
        String[] args = {"train", text.toString(), "--hidden-size", "8", "--seq-length", "5", "--max-iterations", "201",
                "--seed", "9", "--checkpoint-every", "0", "--checkpoint-dir", dir.resolve("ck").toString(),
                "--overwrite"};
        assertEquals(withoutSpeed(run(args).out()), withoutSpeed(run(args).out()));
    }

    @Test
    void aNewRunDoesNotReplaceASavedOneUnlessAsked() throws IOException {
        Path ck = dir.resolve("ck");
        String[] args = {"train", text.toString(), "--hidden-size", "8", "--seq-length", "5", "--checkpoint-dir",
                ck.toString(), "--checkpoint-every", "2", "--max-iterations"};
        assertEquals(0, run(with(args, "8")).code());
        run(with(args, "3")).assertOneLineError(2, "already holds a saved run: continue it with --resume latest");
        assertEquals(0, run(with(args, "3", "--overwrite")).code());
        assertTrue(Files.exists(ck.resolve("iter-00000003.npz")));
        assertFalse(Files.exists(ck.resolve("iter-00000008.npz")), "the replaced run's checkpoints are gone");
        assertEquals(3, charrnn.checkpoint.CheckpointFile.read(ck.resolve("latest.npz")).meta().iteration());
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    private static String withoutSpeed(String out) {
        return out.replaceAll("\\| [0-9,]+ chars/s.*", "");
    }

    @Test
    void aMissingCorpusIsNamedBeforeTheSavedRunCheck() {
        Path ck = dir.resolve("ck-saved");
        assertEquals(0, run("train", text.toString(), "--hidden-size", "8", "--seq-length", "5", "--max-iterations",
                "3", "--checkpoint-dir", ck.toString()).code());
        assertTrue(Files.exists(ck.resolve("latest.npz")), "a saved run");
        run("train", dir.resolve("nope.txt").toString(), "--checkpoint-dir", ck.toString())
                .assertOneLineError(1, "nope.txt: no such file");
    }

    @Test
    void badInputGetsOneLineAndAnExitCode() throws IOException {
        // a missing text or a folder is named whatever the working folder's checkpoints/ holds
        run("train", dir.resolve("missing.txt").toString()).assertOneLineError(1, "no such file");
        run("train", dir.toString()).assertOneLineError(1, "is a directory");
        // texts found wrong only by reading them: in a checkpoint folder of the test's own
        String ck = dir.resolve("ck-bad").toString();
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        run("train", empty.toString(), "--checkpoint-dir", ck).assertOneLineError(1, "is empty");
        Path shortText = Files.writeString(dir.resolve("short.txt"), "0123456789");
        run("train", shortText.toString(), "--checkpoint-dir", ck)
                .assertOneLineError(1, "has 10 characters; --seq-length 25 needs at least 26");
        Path invalid = Files.write(dir.resolve("invalid.txt"), new byte[] {'o', 'k', (byte) 0xFF, 'x'});
        run("train", invalid.toString(), "--checkpoint-dir", ck).assertOneLineError(1, "invalid UTF-8 at byte offset 2");
    }

    @Test
    void badOptionsAreUsageErrors() {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"--hidden-size", "0", "--hidden-size must be a positive integer, got 0"});
        cases.add(new String[] {"--seq-length", "-3", "--seq-length must be a positive integer, got -3"});
        cases.add(new String[] {"--learning-rate", "0", "--learning-rate must be a positive number, got 0.0"});
        cases.add(new String[] {"--learning-rate", "NaN", "--learning-rate must be a positive number, got NaN"});
        cases.add(new String[] {"--clip", "-1", "--clip must be a positive number, got -1.0"});
        cases.add(new String[] {"--sample-every", "-1", "--sample-every must be 0 (off) or a positive integer"});
        cases.add(new String[] {"--sample-length", "0", "--sample-length must be a positive integer, got 0"});
        cases.add(new String[] {"--max-iterations", "0", "--max-iterations must be a positive integer, got 0"});
        cases.add(new String[] {"--hidden-size", "abc", "'abc' is not an int"});
        cases.add(new String[] {"--dtype", "half", "--dtype"});
        cases.add(new String[] {"--no-such-option", "1", "Unknown options: '--no-such-option'"});
        for (String[] c : cases) {
            run("train", text.toString(), c[0], c[1]).assertOneLineError(2, c[2]);
        }
        run().assertOneLineError(2, "missing command");
        run("fly").assertOneLineError(2, "fly");
    }

    @Test
    void aDivergingLossStopsTrainingNamingTheIteration() {
        Path ck = dir.resolve("ck");
        CliRunner.Result r = run("train", text.toString(), "--hidden-size", "8", "--seq-length", "5", "--learning-rate", "1e300",
                "--max-iterations", "50", "--sample-every", "0", "--log-every", "0", "--checkpoint-dir", ck.toString());
        assertEquals(1, r.code(), r.err());
        assertFalse(Files.exists(ck.resolve("latest.npz")), "a diverged run saves nothing");
        assertTrue(r.err().matches("charrnn: the loss became (NaN|Infinity) at iteration \\d+; .*\n"), r.err());
    }
}
