package charrnn.cli;

import charrnn.api.Training;
import charrnn.api.TrainingResult;
import charrnn.model.CellType;
import charrnn.model.Engine;
import charrnn.model.Precision;
import charrnn.optim.OptimizerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Train a character-level model on a UTF-8 text file, printing a sample and the loss as it learns: "
                    + "min-char-rnn by default, or stacked LSTM or GRU layers over parallel streams.",
            "Runs until interrupted unless --max-iterations is given. Ctrl-C or SIGTERM saves a checkpoint "
                    + "before exiting; --resume continues exactly where a checkpoint left off."},
        footer = {"", "Examples:",
                "  charrnn train",
                "  charrnn train shakespeare.txt --hidden-size 256 --max-iterations 50000",
                "  charrnn train --resume latest",
                "  charrnn train shakespeare.txt --cell lstm --layers 2 --hidden-size 256 --batch-size 50 \\",
                "      --seq-length 50 --optimizer adam --val-fraction 0.1 --max-minutes 10",
                "  charrnn train --sample-every 0 --log-every 1000 --dtype float"})
final class TrainCommand implements Callable<Integer> {
    static final String DEFAULT_CORPUS = "corpus/input.txt";

    @ParentCommand
    Main parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "UTF-8 text to train on (default: " + DEFAULT_CORPUS + ", Moby-Dick; with --resume, "
                    + "the checkpoint's corpus).")
    Path file;

    @Option(names = "--hidden-size", paramLabel = "H", defaultValue = "" + Training.DEFAULT_HIDDEN_SIZE,
            description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hiddenSize;

    @Option(names = "--seq-length", paramLabel = "T", defaultValue = "" + Training.DEFAULT_SEQ_LENGTH,
            description = "Characters per training window, the steps of backpropagation through time "
                    + "(default: ${DEFAULT-VALUE}).")
    int seqLength;

    @Option(names = "--cell", paramLabel = "CELL", defaultValue = "rnn",
            description = "Recurrent cell: rnn (min-char-rnn's tanh cell), lstm or gru, with PyTorch's "
                    + "equations (default: ${DEFAULT-VALUE}).")
    CellType cell;

    @Option(names = "--layers", paramLabel = "L", defaultValue = "1",
            description = "Stacked layers; layer k > 0 reads the hidden state of layer k-1 (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "1",
            description = "Parallel streams: the text is cut into B contiguous parts read side by side, each "
                    + "carrying its own state; the loss is averaged over them (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "adagrad, rmsprop (α 0.95) or adam (β1 0.9, β2 0.999) (default: adagrad for rnn, "
                    + "min-char-rnn's; adam for lstm and gru, on which adagrad's first steps stall).")
    OptimizerConfig.Kind optimizer;

    @Option(names = "--learning-rate", paramLabel = "LR",
            description = "Learning rate (default: 0.1 for adagrad, 0.002 for rmsprop and adam; with --resume, "
                    + "the checkpoint's).")
    Double learningRate;

    @Option(names = "--dropout", paramLabel = "P", defaultValue = "0",
            description = "Inverted dropout in training on the input of every layer above the first and on "
                    + "the decoder's input; never in sampling or scoring (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--embedding-size", paramLabel = "E",
            description = "Layer 0 reads a learned embedding row of E values per character (V×E, drawn from "
                    + "N(0, 1) as PyTorch's nn.Embedding) instead of a one-hot vector; 0: one-hot (default: "
                    + "0 for rnn, min-char-rnn's; the hidden size for lstm and gru; with --resume, the "
                    + "checkpoint's).")
    Integer embeddingSize;

    @Option(names = "--loss", paramLabel = "sum|mean",
            description = "What the gradients, clipping and the optimizer see: sum, the window's loss summed "
                    + "over its T characters and averaged over the streams (min-char-rnn's, char-rnn's); mean, "
                    + "averaged over all B·T characters (PyTorch's), 1/T of it. The printed loss is the same "
                    + "either way (default: sum for rnn, mean for lstm and gru; with --resume, the checkpoint's).")
    String loss;

    @Option(names = "--lr-decay", paramLabel = "F",
            description = "Over the last F (0 to 1) of the run the learning rate falls linearly to 0; the run's "
                    + "length is --max-iterations or --max-minutes, whichever ends first, and one of them is "
                    + "needed; 0 keeps it constant (default: 0.3 for lstm and gru when the run has an end, else 0; "
                    + "with --resume, the checkpoint's).")
    Double lrDecay;

    @Option(names = "--clip", paramLabel = "C", defaultValue = "5",
            description = "Clip every gradient entry to [-C, C] (default: ${DEFAULT-VALUE}; with --resume, "
                    + "the checkpoint's).")
    double clip;

    @Option(names = "--dtype", paramLabel = "TYPE",
            description = "Floating-point type: double or float (default: double for rnn, float for lstm and "
                    + "gru, as PyTorch's default for those).")
    Precision precision;

    @Option(names = "--engine", paramLabel = "KIND", defaultValue = "fast",
            description = "fast: direct OpenBLAS calls and Java loops; reference: one ND4J operation per "
                    + "equation, slower, for checking (default: ${DEFAULT-VALUE}).")
    Engine engine;

    @Option(names = "--max-iterations", paramLabel = "N",
            description = "Stop once N iterations are done in total, counted from the start of training, "
                    + "not from a resume (default: run until interrupted).")
    Long maxIterations;

    @Option(names = "--max-minutes", paramLabel = "M",
            description = "Stop and save after M minutes of training in this session, held-out scoring not "
                    + "counted (default: no limit).")
    Double maxMinutes;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + Training.DEFAULT_SEED,
            description = "Seed of the one random generator used for the initial weights and for sampling: "
                    + "same seed, same file, same run (default: ${DEFAULT-VALUE}; with --resume, the "
                    + "checkpoint's random stream continues).")
    long seed;

    @Option(names = "--sample-every", paramLabel = "N", defaultValue = "" + Training.DEFAULT_SAMPLE_EVERY,
            description = "Print a sample every N iterations; 0 turns sampling off (default: ${DEFAULT-VALUE}).")
    int sampleEvery;

    @Option(names = "--sample-length", paramLabel = "N", defaultValue = "" + Training.DEFAULT_SAMPLE_LENGTH,
            description = "Characters per sample (default: ${DEFAULT-VALUE}).")
    int sampleLength;

    @Option(names = "--log-every", paramLabel = "N", defaultValue = "" + Training.DEFAULT_LOG_EVERY,
            description = "Print the loss every N iterations; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int logEvery;

    @Option(names = "--val-fraction", paramLabel = "F", defaultValue = "0",
            description = "Hold out the last F of the corpus (0 to 0.5), never train on it, and report the loss "
                    + "on it (default: ${DEFAULT-VALUE}, nothing held out, as min-char-rnn).")
    double valFraction;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "" + Training.DEFAULT_EVAL_EVERY,
            description = "Score the held-out text every N iterations and at the end (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", defaultValue = Training.DEFAULT_CHECKPOINT_DIR,
            description = "Where checkpoints go (iter-N.npz per save and latest.npz, the newest), with "
                    + "metrics.csv, samples.txt and loss.png (default: ${DEFAULT-VALUE}).")
    Path checkpointDir;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "" + Training.DEFAULT_CHECKPOINT_EVERY,
            description = "Save a checkpoint every N iterations, and always at the end; 0 saves only at the "
                    + "end (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "" + Training.DEFAULT_KEEP,
            description = "Keep the newest N iteration checkpoints besides latest.npz (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--resume", paramLabel = "CHECKPOINT",
            description = "Continue a saved run exactly: a checkpoint file, or 'latest' for DIR/latest.npz. "
                    + "Hyperparameters come from the checkpoint (default: start afresh).")
    String resume;

    @Option(names = "--corpus-changed",
            description = "With --resume: train on FILE although it is not the checkpoint's corpus, from its "
                    + "start; its characters must all be in the checkpoint's vocabulary (default: off).")
    boolean corpusChanged;

    @Option(names = "--overwrite",
            description = "Start a new run in DIR even though it holds a saved one, replacing its files "
                    + "(default: refuse, so that a run is not lost by mistake).")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        Training.Builder b = Training.builder().output(parent.out(), parent.err());
        if (file != null) {
            b.corpus(file);
        } else if (resume == null) {
            b.corpus(defaultCorpus());
        }
        // only the options given: a resumed run refuses a given one that conflicts with its checkpoint
        if (given("--hidden-size")) {
            b.hiddenSize(hiddenSize);
        }
        if (given("--seq-length")) {
            b.seqLength(seqLength);
        }
        if (given("--cell")) {
            b.cell(cell.toString());
        }
        if (given("--layers")) {
            b.layers(layers);
        }
        if (given("--batch-size")) {
            b.batchSize(batchSize);
        }
        if (optimizer != null) {
            b.optimizer(optimizer.toString());
        }
        if (learningRate != null) {
            b.learningRate(learningRate);
        }
        if (given("--dropout")) {
            b.dropout(dropout);
        }
        if (embeddingSize != null) {
            b.embeddingSize(embeddingSize);
        }
        if (loss != null) {
            b.loss(loss);
        }
        if (lrDecay != null) {
            b.lrDecay(lrDecay);
        }
        if (given("--clip")) {
            b.clip(clip);
        }
        if (precision != null) {
            b.dtype(precision.toString());
        }
        if (given("--engine")) {
            b.engine(engine.toString());
        }
        if (maxIterations != null) {
            b.maxIterations(maxIterations);
        }
        if (maxMinutes != null) {
            b.maxMinutes(maxMinutes);
        }
        if (given("--seed")) {
            b.seed(seed);
        }
        if (given("--sample-every")) {
            b.sampleEvery(sampleEvery);
        }
        if (given("--sample-length")) {
            b.sampleLength(sampleLength);
        }
        if (given("--log-every")) {
            b.logEvery(logEvery);
        }
        if (given("--val-fraction")) {
            b.valFraction(valFraction);
        }
        if (given("--eval-every")) {
            b.evalEvery(evalEvery);
        }
        if (given("--checkpoint-dir")) {
            b.checkpointDir(checkpointDir);
        }
        if (given("--checkpoint-every")) {
            b.checkpointEvery(checkpointEvery);
        }
        if (given("--keep")) {
            b.keep(keep);
        }
        if (resume != null) {
            b.resume(resume);
        }
        if (corpusChanged) {
            b.corpusChanged(true);
        }
        if (overwrite) {
            b.overwrite(true);
        }
        Training training = b.build();
        TrainingResult result = runUntilDoneOrSignalled(training);
        return result.endStateLost() ? 1 : 0;
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * Runs the training; Ctrl-C or SIGTERM asks it to stop after the current iteration, and the JVM waits
     * (up to a minute) for it to save its checkpoint before exiting.
     */
    private static TrainingResult runUntilDoneOrSignalled(Training training) throws IOException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            training.stop();
            try {
                finished.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "charrnn-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return training.run();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that training has finished
            }
        }
    }

    /** corpus/input.txt in the working directory, else in the installation the launcher names. */
    static Path defaultCorpus() {
        return Training.defaultCorpus();
    }
}
