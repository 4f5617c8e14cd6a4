package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.api.CharRnn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** charrnn score on every kind of checkpoint, with unknown characters and bad files. */
class ScoreCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "rnn (version 1) | --hidden-size 8",
        "rnn (version 2, float32, 2 layers) | --layers 2 --hidden-size 8 --dtype float",
        "lstm | --cell lstm --hidden-size 8 --batch-size 2",
        "gru | --cell gru --layers 2 --hidden-size 8 --optimizer rmsprop",
    })
    void scoresAnyCheckpointAndSkipsWhatTheModelDoesNotKnow(String name, String options) throws IOException {
        Path text = Files.writeString(dir.resolve("text.txt"), "hello world, hello charrnn. ".repeat(10),
                StandardCharsets.UTF_8);
        Path ck = dir.resolve("ck");
        String[] common = {"train", text.toString(), "--seq-length", "5", "--max-iterations", "20",
            "--sample-every", "0", "--log-every", "0", "--checkpoint-dir", ck.toString()};
        String[] more = options.strip().split(" ");
        String[] args = java.util.Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, args, common.length, more.length);
        CliRunner.run(args).assertOk();
        Path latest = ck.resolve("latest.npz");

        Path sample = Files.writeString(dir.resolve("sample.txt"), "hello charrnn, hello world.", StandardCharsets.UTF_8);
        CliRunner.Result r = CliRunner.run("score", latest.toString(), sample.toString()).assertOk();
        assertEquals(CharRnn.load(latest).score("hello charrnn, hello world.") + "\n", r.out());
        assertTrue(r.out().matches("\\d+\\.\\d{4} nats/char \\(\\d+\\.\\d{4} bits/char\\) over 26 characters\n"),
                r.out());
        assertEquals("", r.err());

        Path odd = Files.writeString(dir.resolve("odd.txt"), "hello Wörld ☃, hello", StandardCharsets.UTF_8);
        CliRunner.Result skipped = CliRunner.run("score", latest.toString(), odd.toString()).assertOk();
        assertTrue(skipped.out().endsWith("; 3 outside the vocabulary skipped\n"), skipped.out());
        assertEquals("charrnn: skipped 3 characters the model does not know: 'W' (U+0057), 'ö' (U+00F6), "
                + "'☃' (U+2603)\n", skipped.err());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing file | none.txt | none.txt: no such file",
        "a folder | . | is a directory, not a text file",
        "not UTF-8 | bad.txt | invalid UTF-8 at byte offset 1",
        "nothing the model knows | unknown.txt | has no two characters in a row that the model knows",
    })
    void badFilesAreRefusedInOneLine(String name, String file, String message) throws IOException {
        Path text = Files.writeString(dir.resolve("text.txt"), "hello world, hello charrnn. ".repeat(10));
        CliRunner.run("train", text.toString(), "--seq-length", "5", "--hidden-size", "8", "--max-iterations", "5",
                "--sample-every", "0", "--checkpoint-dir", dir.resolve("ck").toString()).assertOk();
        Files.write(dir.resolve("bad.txt"), new byte[] {'h', (byte) 0xC0, 'x'});
        Files.writeString(dir.resolve("unknown.txt"), "QQQQ");
        CliRunner.run("score", dir.resolve("ck").resolve("latest.npz").toString(), dir.resolve(file).toString())
                .assertOneLineError(1, message);
    }

    @org.junit.jupiter.api.Test
    void oneOrTwoArgumentsOnly() {
        CliRunner.run("score").assertOneLineError(2, "Missing required parameter: '[CHECKPOINT] FILE'");
        CliRunner.run("score", "a", "b", "c").assertOneLineError(2, "Unmatched argument at index 3: 'c'");
        // one argument is the text, scored under checkpoints/latest.npz (of the working folder, which this
        // test does not read: the text is missing, and that is said first, whatever checkpoints/ holds)
        CliRunner.run("score", dir.resolve("nothing.txt").toString())
                .assertOneLineError(1, "nothing.txt: no such file");
    }
}
