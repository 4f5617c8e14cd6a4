package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.checkpoint.CheckpointFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose checkpoints cannot be written: a background save that fails is reported and training goes
 * on; when the last checkpoint cannot be written the run exits non-zero and names the newest intact one.
 * The failure is injected by putting a non-empty folder where latest.npz goes: the iteration file is
 * written whole, then renaming it into latest.npz fails, as a full disk or a lost permission would.
 */
class SaveFailureTest {
    @TempDir
    Path dir;

    private CliRunner.Result train(Path checkpoints, String... more) throws IOException {
        Path text = Files.writeString(dir.resolve("text.txt"), "hello world, hello charrnn. ".repeat(10),
                StandardCharsets.UTF_8);
        String[] args = {"train", text.toString(), "--seq-length", "5", "--hidden-size", "8", "--sample-every", "0",
            "--log-every", "10", "--checkpoint-dir", checkpoints.toString(), "--seed", "3"};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return CliRunner.run(all);
    }

    /** A folder where a file should go: renaming a file over it fails. */
    private static void block(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createDirectories(file);
        Files.writeString(file.resolve("in-the-way"), "x");
    }

    /**
     * A run saved at iteration 20, then continued from iter-00000020.npz after latest.npz was made
     * unwritable (a new run would refuse the folder).
     */
    private CliRunner.Result continueWithLatestBlocked(Path ck, String... more) throws IOException {
        train(ck, "--max-iterations", "20").assertOk();
        block(ck.resolve("latest.npz"));
        String[] args = {"train", "--resume", ck.resolve("iter-00000020.npz").toString(), "--checkpoint-dir",
            ck.toString(), "--sample-every", "0", "--log-every", "10"};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return CliRunner.run(all);
    }

    @Test
    void aFinalCheckpointThatCannotBeWrittenExitsNonZeroNamingTheNewestIntactOne() throws IOException {
        Path ck = dir.resolve("ck");
        CliRunner.Result r = continueWithLatestBlocked(ck, "--max-iterations", "50", "--checkpoint-every", "20");
        assertEquals(1, r.code(), "exit code; stderr: " + r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(2, lines.length, r.err());
        // the background save at 40 wrote iter-40 whole but could not name it latest
        assertTrue(lines[0].startsWith("charrnn: could not save a checkpoint at iteration 40 in " + ck), lines[0]);
        assertTrue(lines[0].endsWith("latest.npz: Is a directory; the previous one is intact and training goes on"),
                lines[0]);
        assertTrue(lines[1].startsWith("charrnn: could not save the final checkpoint at iteration 50 in " + ck),
                lines[1]);
        // (the final save wrote iter-50 whole too before latest.npz failed)
        assertTrue(lines[1].endsWith("; the newest intact checkpoint is " + ck.resolve("iter-00000050.npz")),
                lines[1]);
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(r.out().contains("saved"), r.out());
        assertEquals(50, CheckpointFile.read(ck.resolve("iter-00000050.npz")).meta().iteration());
        assertEquals(40, CheckpointFile.read(ck.resolve("iter-00000040.npz")).meta().iteration());
    }

    @Test
    void withNoCheckpointWrittenTheMessageSaysSo() throws IOException {
        Path ck = dir.resolve("ck");
        block(ck.resolve("iter-00000030.npz"));
        CliRunner.Result r = continueWithLatestBlocked(ck, "--max-iterations", "30");
        assertEquals(1, r.code(), "exit code; stderr: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("charrnn: could not save the final checkpoint at iteration 30"), r.err());
        assertTrue(r.err().strip().endsWith("iter-00000030.npz: Is a directory; no checkpoint of this run was saved"),
                r.err());
    }

    @Test
    void aFailedBackgroundSaveAtTheLastIterationIsNotTakenForTheFinalOne() throws IOException {
        // the background save at 40 (the last iteration) writes iter-40 but cannot link latest.npz; the end of
        // the run must not take it for done (it tries again, fails again here, and says so)
        Path ck = dir.resolve("ck");
        CliRunner.Result r = continueWithLatestBlocked(ck, "--max-iterations", "40", "--checkpoint-every", "20");
        assertEquals(1, r.code(), "exit code; stderr: " + r.err());
        assertTrue(r.err().contains("could not save a checkpoint at iteration 40"), r.err());
        assertTrue(r.err().contains("could not save the final checkpoint at iteration 40"), r.err());
    }

    @Test
    void aSuccessfulRunStillEndsWithZeroAndItsSavedLine() throws IOException {
        Path ck = dir.resolve("ck");
        CliRunner.Result r = train(ck, "--max-iterations", "30", "--checkpoint-every", "30").assertOk();
        assertTrue(r.out().contains("done at iteration 30; saved " + ck.resolve("iter-00000030.npz")), r.out());
        assertEquals("", r.err());
    }
}
