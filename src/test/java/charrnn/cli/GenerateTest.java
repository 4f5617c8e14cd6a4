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
        CliRunner.run("generate", checkpoint, "--temperature", "0").assertOneLineError(2,
                "--temperature must be a positive number");
        CliRunner.run("generate", checkpoint, "--start", "").assertOneLineError(2, "--start must not be empty");
        CliRunner.run("generate", dir.resolve("none.npz").toString()).assertOneLineError(1, "no such checkpoint");
    }
}
