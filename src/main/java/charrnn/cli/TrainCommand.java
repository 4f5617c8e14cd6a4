package charrnn.cli;

import charrnn.corpus.Corpus;
import charrnn.model.Precision;
import charrnn.model.Rng;
import charrnn.train.TrainConfig;
import charrnn.train.Trainer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Train min-char-rnn on a UTF-8 text file, printing a sample and the loss as it learns.",
            "Runs until interrupted (Ctrl-C) unless --max-iterations is given."},
        footer = {"", "Examples:",
                "  charrnn train",
                "  charrnn train shakespeare.txt --hidden-size 256 --max-iterations 50000",
                "  charrnn train --sample-every 0 --log-every 1000 --dtype float"})
final class TrainCommand implements Callable<Integer> {
    static final String DEFAULT_CORPUS = "corpus/input.txt";

    @ParentCommand
    Main parent;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "UTF-8 text to train on (default: " + DEFAULT_CORPUS + ", Moby-Dick).")
    Path file;

    @Option(names = "--hidden-size", paramLabel = "H", defaultValue = "100",
            description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hiddenSize;

    @Option(names = "--seq-length", paramLabel = "T", defaultValue = "25",
            description = "Characters per training window, the steps of backpropagation through time "
                    + "(default: ${DEFAULT-VALUE}).")
    int seqLength;

    @Option(names = "--learning-rate", paramLabel = "LR", defaultValue = "0.1",
            description = "Adagrad learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--clip", paramLabel = "C", defaultValue = "5",
            description = "Clip every gradient entry to [-C, C] (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--sample-every", paramLabel = "N", defaultValue = "100",
            description = "Print a sample every N iterations; 0 turns sampling off (default: ${DEFAULT-VALUE}).")
    int sampleEvery;

    @Option(names = "--sample-length", paramLabel = "N", defaultValue = "200",
            description = "Characters per sample (default: ${DEFAULT-VALUE}).")
    int sampleLength;

    @Option(names = "--log-every", paramLabel = "N", defaultValue = "100",
            description = "Print the loss every N iterations; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int logEvery;

    @Option(names = "--max-iterations", paramLabel = "N",
            description = "Stop after N iterations in total (default: run until interrupted).")
    Long maxIterations;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed of the one random generator used for the initial weights and for sampling: "
                    + "same seed, same file, same run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "double",
            description = "Floating-point type: double or float (default: ${DEFAULT-VALUE}).")
    Precision precision;

    @Override
    public Integer call() throws Exception {
        TrainConfig config = new TrainConfig(hiddenSize, seqLength, learningRate, clip, sampleEvery, sampleLength,
                logEvery, maxIterations == null ? TrainConfig.UNLIMITED : maxIterations, seed, precision);
        Corpus corpus = Corpus.scan(file != null ? file : defaultCorpus());
        corpus.requireWindow(config.seqLength());
        PrintStream out = parent.out();
        out.printf("data has %d characters, %d unique.%n", corpus.codePoints(), corpus.vocabulary().size());
        try (Trainer trainer = new Trainer(config, corpus, new Rng(config.seed()), out)) {
            trainer.run();
        }
        out.flush();
        return 0;
    }

    /** corpus/input.txt in the working directory, else in the installation the launcher names. */
    static Path defaultCorpus() {
        Path here = Path.of(DEFAULT_CORPUS);
        String home = System.getProperty("charrnn.home");
        if (!Files.exists(here) && home != null) {
            return Path.of(home).resolve(DEFAULT_CORPUS);
        }
        return here;
    }
}
