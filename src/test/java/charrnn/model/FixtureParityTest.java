package charrnn.model;

import static charrnn.model.DeepFixture.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import charrnn.optim.Optimizer;
import charrnn.train.TrainingStep;
import charrnn.util.Threads;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parity of the model with the float64 references, one harness for every set: fixtures/minchar_fixture_A.json
 * (min-char-rnn's configuration), deep_fixture_C.json (every case: rnn, lstm, gru; one and two layers; one to
 * three streams; adagrad, rmsprop, adam; a case where clipping bites) and deep_fixture_E.json (the same with
 * an input embedding, the mean loss or the summed one, a clip that bites after the mean's division), within
 * each set's tolerance ({@link DeepFixture#assertArrayClose}; losses 1e-9 relative); both engines. What only
 * set A has (the corpus scan, its clip case, the trainer's own loop) is {@link MinCharFixtureTest}'s.
 */
class FixtureParityTest {

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
        return java.util.stream.Stream.of(java.util.stream.Stream.of(DeepFixture.MIN_CHAR_CASE),
                java.util.Arrays.stream(DeepFixture.CASES), java.util.Arrays.stream(DeepFixture.EMBEDDING_CASES))
                .flatMap(s -> s).flatMap(c -> java.util.Arrays.stream(Engine.values())
                .map(kind -> org.junit.jupiter.params.provider.Arguments.of(c, kind)));
    }

    @ParameterizedTest(name = "{0}, {1} engine")
    @MethodSource("cases")
    void firstIterationLossGradientsAndState(String name, Engine kind) throws IOException {
        DeepFixture f = DeepFixture.of(name);
        JsonObject first = f.c.getAsJsonObject("first_iteration");
        Network network = Network.create(kind, f.init(), f.B, f.T, 0, Threads.available());
        StreamState state = StreamState.zeros(f.spec, f.B);
        TrainingStep learner = new TrainingStep(network, Optimizer.create(f.optimizer(), network.params()), state,
                f.hyper.get("clip").getAsDouble(), null, f.loss());
        double loss = learner.lossAndGradients(f.windows(0));
        assertClose(name + " loss", first.get("loss").getAsDouble(), loss);
        Map<String, INDArray> grads = DeepFixture.arrays(first.getAsJsonObject("grads"));
        assertEquals(f.spec.paramNames(), java.util.List.copyOf(grads.keySet()));
        for (String p : f.spec.paramNames()) {
            f.assertArrayClose(name + " d" + p, grads.get(p), learner.grads().get(p));
        }
        assertState(f, name, first.getAsJsonObject("final_state"), state);
    }

    @ParameterizedTest(name = "{0}, {1} engine")
    @MethodSource("cases")
    void snapshotsAfterIterationsBeforeAndAfterAWrap(String name, Engine kind) throws IOException {
        DeepFixture f = DeepFixture.of(name);
        Network network = Network.create(kind, f.init(), f.B, f.T, 0, Threads.available());
        StreamState state = StreamState.zeros(f.spec, f.B);
        TrainingStep learner = new TrainingStep(network, Optimizer.create(f.optimizer(), network.params()), state,
                f.hyper.get("clip").getAsDouble(), null, f.loss());
        int m = f.text.length / f.B;
        double smooth = f.hyper.get("smooth_loss_init").getAsDouble();
        int p = 0;
        int n = 0;
        for (JsonElement e : f.c.getAsJsonArray("after")) {
            JsonObject snap = e.getAsJsonObject();
            int until = snap.get("n_iters").getAsInt();
            for (; n < until; n++) {
                if (n == 0 || p + f.T + 1 >= m) {
                    p = 0;
                    state.reset();
                }
                double loss = learner.train(f.windows(p));
                assertClose(name + " loss at " + n, snap.getAsJsonArray("losses").get(n).getAsDouble(), loss);
                smooth = 0.999 * smooth + 0.001 * loss;
                p += f.T;
            }
            String at = name + " after " + until + ": ";
            assertEquals(snap.get("p_next").getAsInt(), p, at + "p");
            assertClose(at + "smooth loss", snap.get("smooth_loss").getAsDouble(), smooth);
            Map<String, INDArray> params = DeepFixture.arrays(snap.getAsJsonObject("params"));
            for (String name2 : f.spec.paramNames()) {
                f.assertArrayClose(at + name2, params.get(name2), network.params().get(name2));
            }
            JsonObject opt = snap.getAsJsonObject("optimizer_state");
            for (String slot : Optimizer.slots(f.optimizer().kind())) {
                if (!opt.has(slot)) {
                    continue;   // set A keeps Adagrad's memory at 50 iterations, not after the wrap
                }
                Map<String, INDArray> expected = DeepFixture.arrays(opt.getAsJsonObject(slot));
                for (String name2 : f.spec.paramNames()) {
                    f.assertArrayClose(at + slot + " of " + name2, expected.get(name2),
                            learner.optimizer().state().get(slot).get(name2));
                }
            }
            if (opt.has("step")) {
                assertEquals(opt.get("step").getAsLong(), learner.optimizer().step(), at + "adam step");
            }
            assertState(f, at, snap.getAsJsonObject("state"), state);
        }
    }

    static void assertState(DeepFixture f, String label, JsonObject expected, StreamState state) {
        INDArray[] h = DeepFixture.state(expected.get("h"));
        for (int k = 0; k < h.length; k++) {
            f.assertArrayClose(label + " h of layer " + k, h[k], state.h[k]);
        }
        if (expected.has("c") && !expected.get("c").isJsonNull()) {
            INDArray[] c = DeepFixture.state(expected.get("c"));
            for (int k = 0; k < c.length; k++) {
                f.assertArrayClose(label + " c of layer " + k, c[k], state.c[k]);
            }
        }
    }
}
