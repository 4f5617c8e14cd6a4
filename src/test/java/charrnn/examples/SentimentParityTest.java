package charrnn.examples;

import static charrnn.examples.TutorialFixture.assertClose;
import static charrnn.examples.TutorialFixture.flat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import charrnn.sample.Sampler;
import charrnn.util.Rng;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * charrnn's sentiment network against the numpy version of the tutorial (bench/tutorial_sentiment.py
 * --fixture: the default phrases, weights from a sin formula, H = 16, no shuffling): the loss and every
 * gradient of two phrases, the weights after 1 and 5 epochs, and every epoch's losses and accuracies,
 * within 1e-9 relative per array (see {@link TutorialFixture}).
 */
class SentimentParityTest {
    static final String[] NAMES = {"Wxh", "Whh", "Why", "bh", "by"};

    @Test
    void matchesTheNumpyTutorial() throws Exception {
        JsonObject fixture = TutorialFixture.load("tutorial_sentiment.json");
        SentimentData data = SentimentData.defaults();
        List<String> vocab = new ArrayList<>();
        fixture.getAsJsonArray("vocab").forEach(e -> vocab.add(e.getAsString()));
        assertEquals(vocab, data.vocabulary, "the same sorted vocabulary");
        int hidden = fixture.getAsJsonObject("hyper").get("hidden_size").getAsInt();
        ManyToOneRnn rnn = network(fixture.getAsJsonObject("init"), data, hidden);

        for (String key : new String[] {"first_example", "long_example"}) {
            JsonObject example = fixture.getAsJsonObject(key);
            SentimentData.Example e = find(data, example.get("text").getAsString());
            assertEquals(example.get("target").getAsInt(), e.label(), key + " target");
            double[] p = Sampler.softmax(rnn.forward(e.words()), 1.0);
            assertClose(key + " loss", example.get("loss").getAsDouble(), -StrictMath.log(p[e.label()]));
            p[e.label()] -= 1;
            Gradients g = rnn.backward(p);
            for (int i = 0; i < NAMES.length; i++) {
                assertClose(key + " d" + NAMES[i], flat(example.getAsJsonObject("grads").get(NAMES[i])), g.all().get(i));
            }
        }

        var settings = new SentimentExample.Settings(1, hidden, 2e-2, 0, false);
        JsonArray epochs = fixture.getAsJsonArray("epochs");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        for (int epoch = 1; epoch <= epochs.size(); epoch++) {
            List<SentimentExample.Report> reports = SentimentExample.train(rnn, data, settings, new Rng(0), quiet);
            JsonObject expected = epochs.get(epoch - 1).getAsJsonObject();
            SentimentExample.Report report = reports.get(0);
            assertClose("train loss of epoch " + epoch, expected.get("train_loss").getAsDouble(), report.train().loss());
            assertClose("test loss of epoch " + epoch, expected.get("test_loss").getAsDouble(), report.test().loss());
            assertEquals(expected.get("train_accuracy").getAsDouble(), report.train().accuracy(), 0.0);
            assertEquals(expected.get("test_accuracy").getAsDouble(), report.test().accuracy(), 0.0);
            JsonElement after = fixture.get("params_after_" + epoch + "_epochs");
            if (after != null) {
                for (int i = 0; i < NAMES.length; i++) {
                    assertClose(NAMES[i] + " after " + epoch + " epochs", flat(after.getAsJsonObject().get(NAMES[i])),
                            rnn.params().get(i));
                }
            }
        }
    }

    static ManyToOneRnn network(JsonObject init, SentimentData data, int hidden) {
        return new ManyToOneRnn(data.vocabulary.size(), hidden, data.classes.size(), flat(init.get("Wxh")),
                flat(init.get("Whh")), flat(init.get("Why")), flat(init.get("bh")), flat(init.get("by")));
    }

    static SentimentData.Example find(SentimentData data, String text) throws IOException {
        for (SentimentData.Example e : data.train) {
            if (e.text().equals(text)) {
                return e;
            }
        }
        throw new IOException("no training phrase '" + text + "'");
    }
}
