package charrnn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --init-from} on the command line: what it refuses, in one line (FineTuningTest: what it does). */
class InitFromTest {
    @TempDir
    Path dir;

    /** Another model shape, or --init-from with --resume, is refused in one line. */
    @Test
    void anotherShapeIsRefusedInOneLine() throws IOException {
        Path text = Files.writeString(dir.resolve("text.txt"), "hello world, hello charrnn. ".repeat(10));
        Path checkpoint = charrnn.api.Training.builder().corpus(text).hiddenSize(8).seqLength(5).maxIterations(3).sampleEvery(0)
                .checkpointDir(dir.resolve("rnn")).build().run().checkpoint();
        for (String[] c : new String[][] {{"--cell", "lstm", "--cell lstm differs from the checkpoint's rnn"},
            {"--hidden-size", "9", "--hidden-size 9 differs from the checkpoint's 8"},
            {"--layers", "2", "--layers 2 differs from the checkpoint's 1"}}) {
            CliRunner.run("train", text.toString(), "--init-from", checkpoint.toString(), c[0], c[1],
                    "--checkpoint-dir", dir.resolve("x").toString()).assertOneLineError(2, c[2]);
        }
        CliRunner.run("train", "--init-from", checkpoint.toString(), "--resume", "latest",
                "--checkpoint-dir", dir.resolve("rnn").toString()).assertOneLineError(2, "give one of them");
        CliRunner.run("train", text.toString(), "--init-from", dir.resolve("none.npz").toString(),
                "--checkpoint-dir", dir.resolve("y").toString()).assertOneLineError(1, "none.npz: no such checkpoint");
        // the same shape given explicitly is no conflict, and min-char-rnn's model takes new characters too
        Path more = Files.writeString(dir.resolve("more.txt"), "hello, world! 42 ".repeat(10));
        CliRunner.run("train", more.toString(), "--init-from", checkpoint.toString(), "--hidden-size", "8",
                "--seq-length", "5", "--max-iterations", "3", "--checkpoint-dir", dir.resolve("z").toString())
                .assertOk();
    }
}
