package charrnn.cli;

import static charrnn.model.DeepFixture.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import charrnn.checkpoint.CheckpointFile;
import charrnn.checkpoint.Checkpoint;
import charrnn.model.DeepFixture;
import charrnn.optim.Optimizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A version 2 checkpoint written by hand with numpy (resources/checkpoints/make_numpy_v2.py: the initial
 * weights of a deep fixture C case and the smallest meta.json, iteration 0), resumed from the command line
 * on the fixture's text with {@code --max-iterations n}, reproduces the fixture's snapshot after n
 * iterations: parameters, optimizer state, carried state and smooth loss, within the fixture README's
 * tolerance (per array max|a − b| <= 1e-9 · max|b|).
 */
class NumpyV2CheckpointTest {
    @TempDir
    Path dir;

    static String[] cases() {
        return DeepFixture.CASES;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void resumingReproducesTheFixtureSnapshots(String name) throws IOException {
        DeepFixture f = DeepFixture.of(name);
        Path text = Files.writeString(dir.resolve("text.txt"), DeepFixture.text(), StandardCharsets.UTF_8);
        Path start = dir.resolve("start.npz");
        try (InputStream in = getClass().getResourceAsStream("/checkpoints/numpy-v2-" + name + ".npz")) {
            Files.copy(in, start);
        }
        for (JsonElement e : f.c.getAsJsonArray("after")) {
            JsonObject snap = e.getAsJsonObject();
            int n = snap.get("n_iters").getAsInt();
            Path ck = dir.resolve("after-" + n);
            CliRunner.run("train", text.toString(), "--resume", start.toString(), "--max-iterations", "" + n,
                    "--sample-every", "0", "--log-every", "0", "--checkpoint-every", "0",
                    "--checkpoint-dir", ck.toString()).assertOk();
            Checkpoint saved = (Checkpoint) CheckpointFile.read(ck.resolve("latest.npz"));
            String at = name + " after " + n + ": ";
            assertEquals(n, saved.meta().iteration());
            assertEquals(snap.get("p_next").getAsLong(), saved.meta().corpus().position(), at + "p");
            assertClose(at + "smooth loss", snap.get("smooth_loss").getAsDouble(), saved.meta().smoothLoss());
            Map<String, INDArray> params = DeepFixture.arrays(snap.getAsJsonObject("params"));
            for (String p : f.spec.paramNames()) {
                f.assertArrayClose(at + p, params.get(p), saved.params().get(p));
            }
            JsonObject opt = snap.getAsJsonObject("optimizer_state");
            for (String slot : Optimizer.slots(f.optimizer().kind())) {
                Map<String, INDArray> expected = DeepFixture.arrays(opt.getAsJsonObject(slot));
                for (String p : f.spec.paramNames()) {
                    f.assertArrayClose(at + slot + "." + p, expected.get(p), saved.optimizer().state().get(slot).get(p));
                }
            }
            if (opt.has("step")) {
                assertEquals(opt.get("step").getAsLong(), saved.deep().optimizerStep(), at + "adam step");
            }
            INDArray[] h = DeepFixture.state(snap.getAsJsonObject("state").get("h"));
            for (int k = 0; k < h.length; k++) {
                f.assertArrayClose(at + "h.l" + k, h[k], saved.state().h[k]);
            }
        }
    }
}
