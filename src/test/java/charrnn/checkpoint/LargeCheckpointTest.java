package charrnn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import charrnn.model.CellType;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.model.Precision;
import charrnn.model.StreamState;
import charrnn.optim.Optimizer;
import charrnn.optim.OptimizerConfig;
import charrnn.testing.ChildJvm;
import charrnn.util.Rng;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A checkpoint larger than the Java heap saves (in the background, as training does) and loads back bit
 * for bit: the arrays go between native memory and the file a chunk at a time. Runs in a child JVM with
 * a 64 MiB heap and a model whose archive is about 118 MiB (an LSTM of 1,536 units with Adam's two
 * slots); a writer or reader that held the archive or an array's values on the heap ends in an
 * OutOfMemoryError there.
 */
class LargeCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void aCheckpointLargerThanTheHeapSavesAndLoadsBitForBit() throws IOException, InterruptedException {
        ChildJvm.Result r = ChildJvm.run(List.of("-Xmx64m",
                // no cap on ND4J's native memory (its default follows the heap's)
                "-Dorg.bytedeco.javacpp.maxbytes=0", "-Dorg.bytedeco.javacpp.maxphysicalbytes=0"),
                Child.class, List.of(dir.toString()), 5);
        String output = r.out() + r.err();
        assertEquals(0, r.code(), output);
        assertEquals(true, output.contains("same bits: 15 arrays"), output);
        assertEquals(true, new File(dir.toFile(), "latest.npz").length() > 96L << 20, "the archive outgrows the heap");
    }

    /** The child: saves, loads and compares. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            ModelSpec spec = new ModelSpec(CellType.LSTM, 1, 1536, 80, Precision.FLOAT);
            ParamSet params = ParamSet.init(spec, new Rng(7));
            OptimizerConfig adam = OptimizerConfig.of(OptimizerConfig.Kind.ADAM, 0.002);
            Optimizer optimizer = Optimizer.create(adam, params);
            optimizer.state().values().forEach(slot -> slot.names().forEach(n -> slot.get(n).assign(0.125)));
            StreamState state = StreamState.zeros(spec, 4);
            List<String> vocab = new ArrayList<>();
            for (int c = 0; c < 80; c++) {
                vocab.add(String.valueOf((char) (' ' + c)));
            }
            CheckpointMeta meta = new CheckpointMeta(vocab, 1536, 25, 0.002, 5, Precision.FLOAT, 10, 100.0, null,
                    null, 0.0);
            Checkpoint run = new Checkpoint(params, optimizer, state, meta,
                    new ModelMeta(CellType.LSTM, 1, 4, adam, 10, 0.0, null, null));
            CheckpointDir checkpoints = new CheckpointDir(Path.of(args[0]), 2);
            checkpoints.saveInBackground(run, e -> {
                e.printStackTrace();
                System.exit(3);
            });
            checkpoints.close();
            Checkpoint loaded = (Checkpoint) CheckpointFile.read(checkpoints.latest());
            int compared = 0;
            for (String name : params.names()) {
                requireSameBits(name, params.get(name), loaded.params().get(name));
                compared++;
                for (var slot : optimizer.state().entrySet()) {
                    requireSameBits(slot.getKey() + "." + name, slot.getValue().get(name),
                            loaded.optimizer().state().get(slot.getKey()).get(name));
                    compared++;
                }
            }
            System.out.println("same bits: " + compared + " arrays");
        }

        /** The arrays' memory compared byte for byte (no copy on the heap). */
        private static void requireSameBits(String name, INDArray expected, INDArray actual) {
            long bytes = expected.length() * 4;
            ByteBuffer a = expected.data().asNio().duplicate().position(0).limit((int) bytes);
            ByteBuffer b = actual.data().asNio().duplicate().position(0).limit((int) bytes);
            if (!a.equals(b) || expected.length() != actual.length()) {
                System.out.println(name + " differs");
                System.exit(2);
            }
        }
    }
}
