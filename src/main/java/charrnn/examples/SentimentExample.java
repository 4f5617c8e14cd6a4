package charrnn.examples;

import charrnn.sample.Sampler;
import charrnn.util.Rng;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The sentiment tutorial's training, as its text describes it: every epoch the training phrases in a
 * new random order, each one forward, its loss and whether the most probable class is right, then
 * backpropagation through the whole phrase, every gradient entry clipped to [−1, 1] and a plain
 * gradient-descent step; every 100 epochs the epoch's training loss and accuracy and the test phrases'
 * (forward only), in the tutorial's words.
 */
public final class SentimentExample {
    /** The settings, with the tutorial's values as defaults. */
    public record Settings(int epochs, int hiddenSize, double learningRate, long seed, boolean shuffle) {
        public static final int EPOCHS = 1000;
        public static final int HIDDEN_SIZE = 64;
        public static final double LEARNING_RATE = 2e-2;
        public static final double CLIP = 1.0;
        public static final int REPORT_EVERY = 100;

        public Settings {
            if (epochs < 1) {
                throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
            }
            if (hiddenSize < 1) {
                throw new IllegalArgumentException("--hidden-size must be at least 1, got " + hiddenSize);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("--learning-rate must be a positive number, got " + learningRate);
            }
        }

        public static Settings defaults() {
            return new Settings(EPOCHS, HIDDEN_SIZE, LEARNING_RATE, 42, true);
        }
    }

    /** Loss (mean −ln p of the right class) and accuracy over a set of phrases. */
    public record Score(double loss, double accuracy) {
    }

    /** What a report line says: after {@code epoch} epochs. */
    public record Report(int epoch, Score train, Score test) {
    }

    private SentimentExample() {
    }

    /** Trains a new network (the tutorial's random initialisation from the seed) and prints as the tutorial does. */
    public static List<Report> run(SentimentData data, Settings settings, PrintStream out) {
        Rng rng = new Rng(settings.seed());
        ManyToOneRnn rnn = ManyToOneRnn.random(data.vocabulary.size(), settings.hiddenSize(), data.classes.size(), rng);
        out.printf("%d unique words found; classes %s; %d training and %d test phrases%n", data.vocabulary.size(),
                String.join(", ", data.classes), data.train.size(), data.test.size());
        List<Report> reports = train(rnn, data, settings, rng, out);
        out.println();
        out.println("Test phrases:");
        for (SentimentData.Example e : data.test.subList(0, Math.min(8, data.test.size()))) {
            double[] p = Sampler.softmax(rnn.forward(e.words()), 1.0);
            int best = argmax(p);
            out.printf("  %-36s %s (p = %.3f)%s%n", e.text(), data.classes.get(best), p[best],
                    best == e.label() ? "" : "   expected " + data.classes.get(e.label()));
        }
        return reports;
    }

    /** The training loop over an existing network; draws the shuffles from {@code rng}. */
    public static List<Report> train(ManyToOneRnn rnn, SentimentData data, Settings settings, Rng rng,
                                     PrintStream out) {
        List<Report> reports = new ArrayList<>();
        List<SentimentData.Example> items = new ArrayList<>(data.train);
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            if (settings.shuffle()) {
                shuffle(items, rng);
            }
            double[] tally = new double[2];
            for (SentimentData.Example e : items) {
                double[] dy = classify(rnn, e, tally);     // dL/dy = p − onehot(c)
                dy[e.label()] -= 1;
                rnn.sgd(rnn.backward(dy).clip(Settings.CLIP), settings.learningRate());
            }
            if (epoch % Settings.REPORT_EVERY == 0 || epoch == settings.epochs()) {
                Score train = new Score(tally[0] / items.size(), tally[1] / items.size());
                Score test = score(rnn, data.test);
                out.printf("--- Epoch %d%n", epoch);
                out.printf("Train:\tLoss %.3f | Accuracy: %.3f%n", train.loss(), train.accuracy());
                out.printf("Test:\tLoss %.3f | Accuracy: %.3f%n", test.loss(), test.accuracy());
                reports.add(new Report(epoch, train, test));
            }
        }
        return reports;
    }

    /** Forward only. */
    public static Score score(ManyToOneRnn rnn, List<SentimentData.Example> examples) {
        double[] tally = new double[2];
        for (SentimentData.Example e : examples) {
            classify(rnn, e, tally);
        }
        return new Score(tally[0] / examples.size(), tally[1] / examples.size());
    }

    /** p = softmax(y) of a phrase; adds −ln p_c to tally[0] and 1 to tally[1] when the most probable class is c. */
    private static double[] classify(ManyToOneRnn rnn, SentimentData.Example e, double[] tally) {
        double[] p = Sampler.softmax(rnn.forward(e.words()), 1.0);
        tally[0] -= StrictMath.log(p[e.label()]);
        tally[1] += argmax(p) == e.label() ? 1 : 0;
        return p;
    }

    /** Fisher-Yates, from the last position down, j uniform in [0, i]. */
    static <T> void shuffle(List<T> items, Rng rng) {
        for (int i = items.size() - 1; i > 0; i--) {
            int j = (int) (rng.nextDouble() * (i + 1));
            T swap = items.get(i);
            items.set(i, items.get(j));
            items.set(j, swap);
        }
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
