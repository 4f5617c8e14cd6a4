package charrnn.examples;

import static charrnn.examples.TutorialFixture.assertClose;
import static charrnn.examples.TutorialFixture.flat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * charrnn's sine network against the numpy version of the tutorial (bench/tutorial_sine.py --fixture:
 * weights 0.1·sin(…) for U and W, so that no unit saturates, and 10·sin(…) for V, so that many gradient
 * entries exceed the clip of ±10; H = 24): the first window's prediction, loss and truncated gradients,
 * the printed losses of 3 epochs, the weights after 1 and 3 epochs and the validation RMSE, within 1e-9
 * relative per array (see {@link TutorialFixture}).
 */
class SineParityTest {
    static final String[] NAMES = {"U", "W", "V"};

    @Test
    void matchesTheNumpyTutorial() throws Exception {
        JsonObject fixture = TutorialFixture.load("tutorial_sine.json");
        JsonObject hyper = fixture.getAsJsonObject("hyper");
        int hidden = hyper.get("hidden_size").getAsInt();
        int truncate = hyper.get("truncate").getAsInt();
        JsonObject init = fixture.getAsJsonObject("init");
        SineRnn rnn = new SineRnn(hidden, SineExample.T, flat(init.get("U")), flat(init.get("W")), flat(init.get("V")));
        SineExample.Data data = SineExample.data();

        JsonObject first = fixture.getAsJsonObject("first_record");
        double yHat = rnn.predict(data.x()[0]);
        assertClose("first prediction", first.get("prediction").getAsDouble(), yHat);
        double e = data.y()[0] - yHat;
        assertClose("first loss", first.get("loss").getAsDouble(), e * e / 2);
        Gradients g = rnn.backward(data.y()[0], yHat, truncate);
        for (int i = 0; i < NAMES.length; i++) {
            assertClose("d" + NAMES[i], flat(first.getAsJsonObject("grads").get(NAMES[i])), g.all().get(i));
        }

        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        JsonArray epochs = fixture.getAsJsonArray("epochs");
        List<SineExample.EpochLoss> losses = SineExample.train(rnn, data, 1, quiet);
        check(fixture.getAsJsonObject("params_after_1_epoch"), rnn, "after 1 epoch");
        losses = new java.util.ArrayList<>(losses);
        losses.addAll(SineExample.train(rnn, data, 2, quiet));
        check(fixture.getAsJsonObject("params_after_3_epochs"), rnn, "after 3 epochs");
        for (int i = 0; i < epochs.size(); i++) {
            JsonObject expected = epochs.get(i).getAsJsonObject();
            assertClose("loss of epoch " + (i + 1), expected.get("loss").getAsDouble(), losses.get(i).train());
            assertClose("val loss of epoch " + (i + 1), expected.get("val_loss").getAsDouble(),
                    losses.get(i).validation());
        }
        double squares = 0;
        for (int i = 0; i < data.yVal().length; i++) {
            double d = data.yVal()[i] - rnn.predict(data.xVal()[i]);
            squares += d * d;
        }
        assertClose("validation RMSE", fixture.get("rmse_after_3_epochs").getAsDouble(),
                Math.sqrt(squares / data.yVal().length));
    }

    private static void check(JsonObject expected, SineRnn rnn, String when) {
        for (int i = 0; i < NAMES.length; i++) {
            assertClose(NAMES[i] + " " + when, flat(expected.get(NAMES[i])), rnn.params().get(i));
        }
    }
}
