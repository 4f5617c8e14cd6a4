package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.checkpoint.CheckpointFile;
import charrnn.checkpoint.Checkpoint;
import charrnn.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Without the incubating Vector API module (plain {@code java -jar}, which README promises works) the
 * loops run scalar: a run there prints the same text and saves the same bits as the same run here (this
 * JVM has the module), since the fast engines' functions give the same bits scalar and in lanes. The
 * other run is a child JVM started without {@code --add-modules jdk.incubator.vector}.
 */
class ScalarPathTest {
    @TempDir
    Path dir;

    /** The child's entry: says whether it has the module, then runs the command line. */
    public static final class Child {
        public static void main(String[] args) {
            System.err.println("vector module: " + ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
            System.exit(Main.run(args, System.out, System.err));
        }
    }

    private ChildJvm.Result child(String... args) throws IOException, InterruptedException {
        ChildJvm.Result r = ChildJvm.run(List.of("-Xmx256m", "-Djava.awt.headless=true"), Child.class,
                List.of(args), 5);
        assertEquals(0, r.code(), r.err());
        return r;
    }

    @Test
    void theChildRunsWithoutTheModuleAndThisJvmWithIt() throws IOException, InterruptedException {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "this JVM has the module");
        ChildJvm.Result r = child("--version");
        assertTrue(r.err().startsWith("vector module: false"), r.err());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // min-char-rnn in float64 at H = 260: the two-thread recurrence and update, clip + Adagrad loops
        "rnn float64 H=260 | --hidden-size 260 --max-iterations 60",
        // float32: its conversions
        "rnn float32 H=64 | --hidden-size 64 --dtype float --max-iterations 60",
        // a 2-layer GRU with Adam: the stacked engine's gates (the GRU's backward runs in lanes here)
        "gru 2 layers | --cell gru --layers 2 --hidden-size 32 --batch-size 4 --optimizer adam --max-iterations 30",
    })
    void aRunWithoutTheVectorModuleGivesTheSameBits(String name, String options)
            throws IOException, InterruptedException {
        Path text = Files.writeString(dir.resolve("text.txt"), ("It is a truth universally acknowledged, that a "
                + "single man in possession of a good fortune, must be in want of a wife. ").repeat(20));
        List<String> args = new ArrayList<>(List.of("train", text.toString(), "--seq-length", "10", "--sample-every",
                "20", "--sample-length", "40", "--log-every", "20", "--seed", "5"));
        args.addAll(List.of(options.strip().split(" ")));
        List<String> here = new ArrayList<>(args);
        here.addAll(List.of("--checkpoint-dir", dir.resolve("here").toString()));
        List<String> there = new ArrayList<>(args);
        there.addAll(List.of("--checkpoint-dir", dir.resolve("there").toString()));

        CliRunner.Result vector = CliRunner.run(here.toArray(String[]::new)).assertOk();
        ChildJvm.Result scalar = child(there.toArray(String[]::new));
        assertTrue(scalar.err().startsWith("vector module: false"), scalar.err());
        assertEquals(CliRunner.printed(vector.out(), -1), CliRunner.printed(scalar.out(), -1).stream()
                .map(l -> l.replace(dir.resolve("there").toString(), dir.resolve("here").toString())).toList());

        Checkpoint a = CheckpointFile.read(dir.resolve("here").resolve("latest.npz"));
        Checkpoint b = CheckpointFile.read(dir.resolve("there").resolve("latest.npz"));
        assertEquals(a.meta().smoothLoss(), b.meta().smoothLoss());
        charrnn.testing.Exact.assertSameRun(a, b);
    }
}
