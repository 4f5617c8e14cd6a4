package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateTest {
    static final String LINE = "the whale 😀 the sea\n";

    @TempDir
    static Path dir;
    static String checkpoint;

    @BeforeAll
    static void trainASmallModel() throws IOException {
        // 😀 is one character: generated lengths count code points, not Java chars
        Path text = Files.writeString(dir.resolve("text.txt"), LINE.repeat(20),
                StandardCharsets.UTF_8);
        Path ck = dir.resolve("ck");
        CliRunner.run("train", text.toString(), "--hidden-size", "8", "--seq-length", "8", "--max-iterations", "300",
                "--sample-every", "0", "--log-every", "0", "--checkpoint-dir", ck.toString()).assertOk();
        checkpoint = ck.resolve("latest.npz").toString();
    }

    @Test
    void printsTheStartTextThenExactlyLengthCharacters() {
        CliRunner.Result r = CliRunner.run("generate", checkpoint, "--start", "the 😀", "--length", "57").assertOk();
        assertTrue(r.out().startsWith("the 😀"), r.out());
        assertEquals(5 + 57, r.out().codePointCount(0, r.out().length()), r.out());
        assertEquals("", r.err());
    }

    @Test
    void sameSeedSameTextAnotherSeedAnotherText() {
        String a = CliRunner.run("generate", checkpoint, "--seed", "1", "--length", "300").assertOk().out();
        String b = CliRunner.run("generate", checkpoint, "--seed", "1", "--length", "300").assertOk().out();
        String c = CliRunner.run("generate", checkpoint, "--seed", "2", "--length", "300").assertOk().out();
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertTrue(a.startsWith("\n"), "the default start is a newline when the vocabulary has one");
        assertEquals(1 + 300, a.codePointCount(0, a.length()));
    }

    @Test
    void aLowTemperatureIsMoreConservative() {
        // nearly greedy decoding keeps to the training text's trigrams; a high temperature strays from them
        String cold = CliRunner.run("generate", checkpoint, "--temperature", "0.05", "--length", "400").assertOk().out();
        String hot = CliRunner.run("generate", checkpoint, "--temperature", "5", "--length", "400").assertOk().out();
        assertTrue(unseenTrigrams(cold) < unseenTrigrams(hot) / 4, "cold: " + cold + "\nhot: " + hot);
    }

    private static long unseenTrigrams(String text) {
        String training = LINE.repeat(3);
        int[] cps = text.codePoints().toArray();
        long unseen = 0;
        for (int i = 0; i + 3 <= cps.length; i++) {
            if (!training.contains(new String(cps, i, 3))) {
                unseen++;
            }
        }
        return unseen;
    }

    @Test
    void badInputGetsOneLine() {
        CliRunner.run("generate", checkpoint, "--start", "whale Q").assertOneLineError(2,
                "--start has the character 'Q' (U+0051), which is not in the vocabulary of");
        CliRunner.run("generate", checkpoint, "--length", "0").assertOneLineError(2,
                "--length must be a positive integer, got 0");
        CliRunner.run("generate", checkpoint, "--temperature", "-1").assertOneLineError(2,
                "--temperature must be a number from 0 to 10, got -1.0");
        CliRunner.run("generate", checkpoint, "--top-k", "0").assertOneLineError(2, "--top-k must be at least 1, got 0");
        CliRunner.run("generate", checkpoint, "--top-p", "0").assertOneLineError(2, "--top-p must be in (0, 1], got 0.0");
        CliRunner.run("generate", checkpoint, "--top-p", "1.5").assertOneLineError(2,
                "--top-p must be in (0, 1], got 1.5");
        CliRunner.run("generate", checkpoint, "--count", "0").assertOneLineError(2,
                "--count must be a positive integer, got 0");
        CliRunner.run("generate", checkpoint, "--stop", "").assertOneLineError(2, "--stop must not be empty");
        CliRunner.run("generate", checkpoint, "--start", "the", "--start-file", LINE).assertOneLineError(2,
                "--start and --start-file: give one of them");
        CliRunner.run("generate", checkpoint, "--start-file", dir.resolve("missing.txt").toString())
                .assertOneLineError(1, "missing.txt: no such file");
        CliRunner.run("generate", checkpoint, "--start", "").assertOneLineError(2, "--start must not be empty");
        CliRunner.run("generate", dir.resolve("none.npz").toString()).assertOneLineError(1, "no such checkpoint");
    }

    /** --start-file primes with a whole file as --start does with its text; a character it lacks is named. */
    @Test
    void aStartFileIsTheStartText() throws IOException {
        Path start = Files.writeString(dir.resolve("start.txt"), LINE.repeat(3), StandardCharsets.UTF_8);
        assertEquals(CliRunner.run("generate", checkpoint, "--start", LINE.repeat(3), "--length", "80").assertOk().out(),
                CliRunner.run("generate", checkpoint, "--start-file", start.toString(), "--length", "80").assertOk().out());
        Path odd = Files.writeString(dir.resolve("odd.txt"), "the whale\nQ", StandardCharsets.UTF_8);
        CliRunner.run("generate", checkpoint, "--start-file", odd.toString()).assertOneLineError(2,
                "--start-file " + odd + " has the character 'Q' (U+0051), which is not in the vocabulary of");
        Path bad = Files.write(dir.resolve("bad.txt"), new byte[] {'t', (byte) 0xC3, 'h'});
        CliRunner.run("generate", checkpoint, "--start-file", bad.toString()).assertOneLineError(1,
                bad + ": invalid UTF-8 at byte offset 1");
    }

    /**
     * --count N: N samples between ---- lines, sample i what --seed S+i draws alone; --stop ends each; the
     * draw's controls at their keep-all values and temperature 0 against top-k 1, on the command line.
     */
    @Test
    void countStopAndTheDrawsControls() {
        String one = CliRunner.run("generate", checkpoint, "--seed", "3", "--length", "60").assertOk().out();
        String two = CliRunner.run("generate", checkpoint, "--seed", "2", "--length", "60").assertOk().out();
        assertEquals("----\n " + two + " \n----\n----\n " + one + " \n----\n",
                CliRunner.run("generate", checkpoint, "--seed", "2", "--length", "60", "--count", "2").assertOk().out());
        String stopped = CliRunner.run("generate", checkpoint, "--seed", "2", "--length", "60", "--stop", "sea")
                .assertOk().out();
        assertTrue(stopped.endsWith("sea") && two.startsWith(stopped), stopped + " / " + two);
        int v = 10;   // "the whale 😀 sea\n": t h e ' ' w a l 😀 s \n
        assertEquals(two, CliRunner.run("generate", checkpoint, "--seed", "2", "--length", "60", "--top-k",
                Integer.toString(v), "--top-p", "1").assertOk().out(), "top-k V and top-p 1 are the plain draw");
        assertEquals(CliRunner.run("generate", checkpoint, "--temperature", "0", "--length", "60").assertOk().out(),
                CliRunner.run("generate", checkpoint, "--top-k", "1", "--seed", "9", "--length", "60").assertOk().out(),
                "temperature 0 and top-k 1");
    }
}
