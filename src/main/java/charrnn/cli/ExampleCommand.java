package charrnn.cli;

import charrnn.examples.DataException;
import charrnn.examples.SentimentData;
import charrnn.examples.SentimentExample;
import charrnn.examples.SineExample;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code charrnn example sentiment|sine}: the two other networks of the tutorials charrnn was designed from. */
@Command(name = "example",
        mixinStandardHelpOptions = true,
        description = "Run one of the tutorials' other networks (see examples/README.md): a many-to-one "
                + "sentiment classifier, or a sine-wave predictor.",
        subcommands = {ExampleCommand.Sentiment.class, ExampleCommand.Sine.class},
        footer = {"", "Examples:",
                "  charrnn example sentiment",
                "  charrnn example sentiment --data train.tsv --test test.tsv --epochs 300",
                "  charrnn example sine --output sine.png"})
final class ExampleCommand implements Runnable {
    @ParentCommand
    Main parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing example: sentiment or sine");
    }

    @Command(name = "sentiment",
            mixinStandardHelpOptions = true,
            description = {"The sentiment tutorial's word-level RNN: it reads a phrase one word at a time and "
                    + "classifies it from its last hidden state (tanh, hidden 64, softmax, cross-entropy, "
                    + "gradients clipped to [-1, 1], plain SGD, the phrases shuffled every epoch). Every 100 "
                    + "epochs it prints the training and test loss and accuracy, at the end a few test phrases "
                    + "with the class it gives them.",
                    "Data: UTF-8 lines TEXT<TAB>LABEL. The classes are the distinct training labels, the "
                    + "vocabulary the words (split on spaces) of the training phrases; test phrases may use "
                    + "only those."},
            footer = {"", "Examples:",
                    "  charrnn example sentiment",
                    "  charrnn example sentiment --data train.tsv --test test.tsv --seed 7"})
    static final class Sentiment implements Callable<Integer> {
        @ParentCommand
        ExampleCommand example;

        @Option(names = "--data", paramLabel = "TRAIN_TSV",
                description = "Training phrases (default: the 60 phrases shipped with charrnn). Give --test "
                        + "with it.")
        Path data;

        @Option(names = "--test", paramLabel = "TEST_TSV",
                description = "Test phrases (default: the 20 shipped with charrnn).")
        Path test;

        @Option(names = "--epochs", paramLabel = "N", defaultValue = "1000",
                description = "Passes over the training phrases (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--hidden-size", paramLabel = "H", defaultValue = "64",
                description = "Hidden units (default: ${DEFAULT-VALUE}).")
        int hiddenSize;

        @Option(names = "--learning-rate", paramLabel = "LR", defaultValue = "0.02",
                description = "Step size of gradient descent (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
                description = "Seed of the initial weights and of the shuffling: same seed, same run "
                        + "(default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws DataException {
            var settings = new SentimentExample.Settings(epochs, hiddenSize, learningRate, seed, true);
            if ((data == null) != (test == null)) {
                throw new IllegalArgumentException("give both --data and --test, or neither (the shipped phrases)");
            }
            SentimentData phrases = data == null ? SentimentData.defaults() : SentimentData.read(data, test);
            SentimentExample.run(phrases, settings, example.parent.out());
            return 0;
        }
    }

    @Command(name = "sine",
            mixinStandardHelpOptions = true,
            description = {"The sine tutorial's RNN: windows of 50 values of sin(0), sin(1), ..., sin(199) predict "
                    + "the 51st; the first 100 windows train, the last 50 validate. It prints the training and "
                    + "validation loss of every epoch and the validation RMSE, and draws the predictions "
                    + "against the true values.",
                "By default the network learns the wave: hidden 100, tanh, biases, small initial weights, "
                    + "squared loss, exact backpropagation through the window, gradients clipped to [-10, 10], "
                    + "learning rate 0.01. --faithful runs the tutorial's own (sigmoid, no biases, uniform(0, 1) "
                    + "weights, gradients truncated to 5 steps back, learning rate 1e-4), which learns only the "
                    + "mean."},
            footer = {"", "Examples:",
                    "  charrnn example sine",
                    "  charrnn example sine --faithful --output faithful.png",
                    "  charrnn example sine --epochs 50 --output /tmp/sine.png"})
    static final class Sine implements Callable<Integer> {
        @ParentCommand
        ExampleCommand example;

        @Option(names = "--epochs", paramLabel = "N", defaultValue = "25",
                description = "Passes over the training windows (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
                description = "Seed of the initial weights: same seed, same run (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--output", paramLabel = "PNG", defaultValue = "sine.png",
                description = "Where the plot of predictions against sin(t) goes (default: ${DEFAULT-VALUE}).")
        Path output;

        @Option(names = "--faithful",
                description = "The tutorial's network exactly, which learns only the mean (default: the one that "
                        + "learns the wave).")
        boolean faithful;

        @Override
        public Integer call() throws Exception {
            SineExample.run(epochs, seed, output, example.parent.out(), faithful);
            example.parent.err().println("charrnn: wrote " + output);
            return 0;
        }
    }
}
