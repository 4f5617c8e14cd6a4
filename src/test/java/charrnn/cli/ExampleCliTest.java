package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `charrnn example`: its output, and bad data refused in one line on stderr. */
class ExampleCliTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private CliRunner.Result sentiment(String train, String test) throws IOException {
        return CliRunner.run("example", "sentiment", "--data", file("train.tsv", train).toString(),
                "--test", file("test.tsv", test).toString(), "--epochs", "100", "--hidden-size", "8");
    }

    @Test
    void sentimentPrintsTheTutorialsReportAndTestPhrases() throws IOException {
        CliRunner.Result r = sentiment("good\tpos\nbad\tneg\nnot good\tneg\nnot bad\tpos\n", "not good\tneg\ngood\tpos\n")
                .assertOk();
        assertTrue(r.out().startsWith("3 unique words found; classes neg, pos; 4 training and 2 test phrases"), r.out());
        assertTrue(r.out().contains("--- Epoch 100\nTrain:\tLoss "), r.out());
        assertTrue(r.out().contains("\nTest:\tLoss "), r.out());
        assertTrue(r.out().contains("Test phrases:\n  not good"), r.out());
    }

    @Test
    void sentimentRefusesBadData() throws IOException {
        sentiment("good\tpos\nbad\tneg\n", "good\tpos\nawful\tneg\n")
                .assertOneLineError(1, "test.tsv line 2: the word 'awful' does not occur in the training phrases");
        sentiment("good\tpos\nbad neg\n", "good\tpos\n").assertOneLineError(1, "train.tsv line 2: expected TEXT<TAB>LABEL");
        sentiment("good\tpos\nbad\tpos\n", "good\tpos\n").assertOneLineError(1, "one class only (pos)");
        sentiment("good\tpos\n \tneg\n", "good\tpos\n").assertOneLineError(1, "train.tsv line 2: the phrase is empty");
        sentiment("good\tpos\nbad\tneg\n", "good\tmeh\n").assertOneLineError(1, "the label 'meh' is not one of");
        CliRunner.run("example", "sentiment", "--data", dir.resolve("missing.tsv").toString(), "--test",
                dir.resolve("missing-too.tsv").toString()).assertOneLineError(1, "missing.tsv: no such file");
        CliRunner.run("example", "sentiment", "--data", file("a.tsv", "good\tpos\n").toString())
                .assertOneLineError(2, "give both --data and --test");
        CliRunner.run("example", "sentiment", "--epochs", "0").assertOneLineError(2, "--epochs must be at least 1");
    }

    @Test
    void sineTrainsAndDraws() throws IOException {
        Path png = dir.resolve("sine.png");
        CliRunner.Result r = CliRunner.run("example", "sine", "--epochs", "2", "--output", png.toString()).assertOk();
        assertTrue(r.out().startsWith("Epoch: 1 , Loss: "), r.out());
        assertTrue(r.out().contains("\nEpoch: 2 , Loss: "), r.out());
        assertTrue(r.out().contains("validation RMSE: "), r.out());
        assertTrue(r.err().contains("wrote " + png), r.err());
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "a PNG");
        CliRunner.run("example", "sine", "--epochs", "-1").assertOneLineError(2, "--epochs must be at least 1");
        CliRunner.run("example").assertOneLineError(2, "missing example");
    }
}
