package charrnn.cli;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointDir;
import charrnn.checkpoint.CheckpointFile;
import charrnn.checkpoint.CheckpointMeta;
import charrnn.checkpoint.DeepCheckpoint;
import charrnn.checkpoint.DeepMeta;
import charrnn.checkpoint.SavedRun;
import charrnn.corpus.Corpus;
import charrnn.corpus.CorpusException;
import charrnn.corpus.StreamBatcher;
import charrnn.corpus.Vocabulary;
import charrnn.metrics.MetricsLog;
import charrnn.model.CellType;
import charrnn.model.Engine;
import charrnn.model.ModelSpec;
import charrnn.model.Precision;
import charrnn.model.Rng;
import charrnn.optim.OptimizerConfig;
import charrnn.train.TrainConfig;
import charrnn.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
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

    @Option(names = "--hidden-size", paramLabel = "H", defaultValue = "100",
            description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hiddenSize;

    @Option(names = "--seq-length", paramLabel = "T", defaultValue = "25",
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
    Engine.Kind engine;

    @Option(names = "--max-iterations", paramLabel = "N",
            description = "Stop once N iterations are done in total, counted from the start of training, "
                    + "not from a resume (default: run until interrupted).")
    Long maxIterations;

    @Option(names = "--max-minutes", paramLabel = "M",
            description = "Stop and save after M minutes of training in this session, held-out scoring not "
                    + "counted (default: no limit).")
    Double maxMinutes;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed of the one random generator used for the initial weights and for sampling: "
                    + "same seed, same file, same run (default: ${DEFAULT-VALUE}; with --resume, the "
                    + "checkpoint's random stream continues).")
    long seed;

    @Option(names = "--sample-every", paramLabel = "N", defaultValue = "100",
            description = "Print a sample every N iterations; 0 turns sampling off (default: ${DEFAULT-VALUE}).")
    int sampleEvery;

    @Option(names = "--sample-length", paramLabel = "N", defaultValue = "200",
            description = "Characters per sample (default: ${DEFAULT-VALUE}).")
    int sampleLength;

    @Option(names = "--log-every", paramLabel = "N", defaultValue = "100",
            description = "Print the loss every N iterations; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int logEvery;

    @Option(names = "--val-fraction", paramLabel = "F", defaultValue = "0",
            description = "Hold out the last F of the corpus (0 to 0.5), never train on it, and report the loss "
                    + "on it (default: ${DEFAULT-VALUE}, nothing held out, as min-char-rnn).")
    double valFraction;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "1000",
            description = "Score the held-out text every N iterations and at the end (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", defaultValue = "checkpoints",
            description = "Where checkpoints go (iter-N.npz per save and latest.npz, the newest), with "
                    + "metrics.csv, samples.txt and loss.png (default: ${DEFAULT-VALUE}).")
    Path checkpointDir;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "1000",
            description = "Save a checkpoint every N iterations, and always at the end; 0 saves only at the "
                    + "end (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "5",
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
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("--checkpoint-every must be 0 (only at the end) or a positive "
                    + "integer, got " + checkpointEvery);
        }
        if (corpusChanged && resume == null) {
            throw new IllegalArgumentException("--corpus-changed goes with --resume");
        }
        PrintStream out = parent.out();
        try (CheckpointDir checkpoints = new CheckpointDir(checkpointDir, keep);
             Trainer trainer = resume == null ? start(out) : resume(checkpoints, out)) {
            if (trainer == null) {
                return 0;
            }
            checkpoints.removeLeftovers();
            if (resume == null && overwrite) {
                checkpoints.clear();   // an older run's higher iteration numbers would outlive the new files
            }
            trainer.saveCheckpoints(checkpoints, checkpointEvery, parent.err());
            try (MetricsLog metrics = resume == null ? MetricsLog.start(checkpointDir)
                    : MetricsLog.resume(checkpointDir)) {
                trainer.record(metrics, checkpointDir.resolve("loss.png"));
                runUntilDoneOrSignalled(trainer);
            }
            out.flush();
            return trainer.endStateLost() ? 1 : 0;
        }
    }

    private Trainer start(PrintStream out) throws IOException {
        OptimizerConfig.Kind kind = optimizer != null ? optimizer
                : cell == CellType.RNN ? OptimizerConfig.Kind.ADAGRAD : OptimizerConfig.Kind.ADAM;
        TrainConfig.DeepOptions deep = new TrainConfig.DeepOptions(cell, layers, batchSize, kind, dropout);
        Precision dtype = precision != null ? precision : cell == CellType.RNN ? Precision.DOUBLE : Precision.FLOAT;
        TrainConfig config = new TrainConfig(hiddenSize, seqLength,
                learningRate != null ? learningRate : kind.defaultLearningRate, clip, sampleEvery, sampleLength,
                logEvery, maxIterations(), seed, dtype, engine, valFraction, evalEvery, deep, maxMinutes());
        Corpus corpus = Corpus.scan(file != null ? file : defaultCorpus());
        corpus.requireWindow(config.seqLength());
        long trainLength = config.trainLength(corpus.codePoints());
        if (!overwrite && Files.exists(checkpointDir.resolve(CheckpointDir.LATEST))) {
            throw new IllegalArgumentException(checkpointDir + " already holds a saved run: continue it with "
                    + "--resume latest, keep it by choosing another --checkpoint-dir, or replace it with --overwrite");
        }
        ModelSpec spec = config.spec(corpus.vocabulary().size());
        MemoryEstimate.require(spec, config.deep().batchSize(), config.seqLength(), config.deep().isMinChar());
        StreamBatcher.requireStreams(trainLength, config.seqLength(), config.deep().batchSize());   // before any output
        out.printf("data has %d characters, %d unique.%n", corpus.codePoints(), corpus.vocabulary().size());
        if (!config.deep().isMinChar()) {
            out.printf("model: %s, %d layer%s of %d, %,d parameters, %s; %d stream%s of %d characters, %s lr %s%s%n",
                    spec.cell(), spec.layers(), spec.layers() == 1 ? "" : "s", spec.hiddenSize(),
                    spec.parameterCount(), config.precision(), config.deep().batchSize(),
                    config.deep().batchSize() == 1 ? "" : "s", trainLength / config.deep().batchSize(),
                    config.deep().optimizer(), config.learningRate(),
                    config.deep().dropout() > 0 ? ", dropout " + config.deep().dropout() : "");
        }
        if (trainLength < corpus.codePoints()) {
            out.printf("training on the first %d, holding out the last %d for validation.%n", trainLength,
                    corpus.codePoints() - trainLength);
        }
        return Trainer.start(config, corpus, new Rng(config.seed()), out);
    }

    /** Continues from a checkpoint, or returns null when it has nothing left to do. */
    private Trainer resume(CheckpointDir checkpoints, PrintStream out) throws IOException {
        Path path = checkpoints.resolve(resume);
        SavedRun checkpoint = CheckpointFile.read(path);
        CheckpointMeta meta = checkpoint.meta();
        DeepMeta saved = checkpoint instanceof DeepCheckpoint d ? d.deep() : null;
        TrainConfig.DeepOptions deep = saved == null ? TrainConfig.DeepOptions.MIN_CHAR
                : new TrainConfig.DeepOptions(saved.cell(), saved.layers(), saved.batchSize(),
                        saved.optimizer().kind(), saved.dropout());
        refuseConflict("--hidden-size", hiddenSize, meta.hiddenSize());
        refuseConflict("--seq-length", seqLength, meta.seqLength());
        refuseConflict("--dtype", precision, meta.precision());
        refuseConflict("--val-fraction", valFraction, meta.valFraction());
        refuseConflict("--cell", cell, deep.cell());
        refuseConflict("--layers", layers, deep.layers());
        refuseConflict("--batch-size", batchSize, deep.batchSize());
        refuseConflict("--optimizer", optimizer, deep.optimizer());
        refuseConflict("--dropout", dropout, deep.dropout());
        TrainConfig config = new TrainConfig(meta.hiddenSize(), meta.seqLength(),
                learningRate != null ? learningRate : meta.learningRate(),
                given("--clip") ? clip : meta.clip(),
                sampleEvery, sampleLength, logEvery, maxIterations(), seed, meta.precision(), engine,
                meta.valFraction(), evalEvery, deep, maxMinutes());
        if (config.maxIterations() <= meta.iteration()) {
            parent.err().printf("charrnn: %s is at iteration %d already; --max-iterations %d leaves nothing to do%n",
                    path, meta.iteration(), config.maxIterations());
            return null;
        }

        Path corpusPath = file != null ? file
                : meta.corpus() != null ? Path.of(meta.corpus().path()) : defaultCorpus();
        Corpus corpus = Corpus.scan(corpusPath);
        corpus.requireWindow(config.seqLength());
        Vocabulary vocabulary = Vocabulary.ofStrings(meta.vocab());
        int missing = vocabulary.firstMissing(corpus.vocabulary());
        if (missing >= 0) {
            throw new CorpusException(String.format("%s has the character %s, which is not in the vocabulary of %s",
                    corpusPath, Vocabulary.describe(missing), path));
        }
        boolean atSavedPosition = meta.corpus() != null && !corpusChanged;
        if (atSavedPosition) {
            requireSameCorpus(corpus, meta.corpus(), path);
        }
        Rng rng = meta.rngState() != null ? new Rng(meta.rngState()) : new Rng(seed);
        out.printf("data has %d characters, %d unique.%n", corpus.codePoints(), corpus.vocabulary().size());
        if (meta.iteration() == 0) {
            out.printf("starting from the weights in %s%n", path);
            return checkpoint instanceof Checkpoint c
                    ? Trainer.start(config, corpus, c.params(), vocabulary, rng, out)
                    : Trainer.start(config, corpus, ((DeepCheckpoint) checkpoint).params(),
                            Trainer.withLearningRate(saved.optimizer(), config.learningRate()), vocabulary, rng, out);
        }
        out.printf("resuming %s at iteration %d%s%n", path, meta.iteration(),
                atSavedPosition ? "" : ", from the start of " + corpusPath);
        return Trainer.resume(config, corpus, checkpoint, atSavedPosition, rng, out);
    }

    private void requireSameCorpus(Corpus corpus, CheckpointMeta.CorpusPosition saved, Path checkpoint)
            throws IOException {
        String what = null;
        if (corpus.bytes() != saved.bytes()) {
            what = String.format("it has %d bytes, the checkpoint's corpus had %d", corpus.bytes(), saved.bytes());
        } else if (corpus.codePoints() != saved.codePoints()) {
            what = String.format("it has %d characters, the checkpoint's corpus had %d",
                    corpus.codePoints(), saved.codePoints());
        } else if (!corpus.fingerprint().equals(saved.fingerprint())) {
            what = "its first or last MiB differs from the checkpoint's corpus";
        }
        if (what != null) {
            throw new CorpusException(String.format("%s is not the corpus %s was trained on (%s); add "
                    + "--corpus-changed to train on it from its start", corpus.path(), checkpoint, what));
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private void refuseConflict(String option, Object value, Object saved) {
        if (given(option) && !value.equals(saved)) {
            throw new IllegalArgumentException(String.format(
                    "%s %s conflicts with the checkpoint's %s; a resumed run keeps the checkpoint's", option, value,
                    saved));
        }
    }

    private double maxMinutes() {
        return maxMinutes == null ? Double.POSITIVE_INFINITY : maxMinutes;
    }

    private long maxIterations() {
        return maxIterations == null ? TrainConfig.UNLIMITED : maxIterations;
    }

    /**
     * Runs the trainer; Ctrl-C or SIGTERM asks it to stop after the current iteration, and the JVM waits
     * (up to a minute) for it to save its checkpoint before exiting.
     */
    private static void runUntilDoneOrSignalled(Trainer trainer) throws IOException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            trainer.requestStop();
            try {
                finished.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "charrnn-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            trainer.run();
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
        Path here = Path.of(DEFAULT_CORPUS);
        String home = System.getProperty("charrnn.home");
        if (!Files.exists(here) && home != null) {
            return Path.of(home).resolve(DEFAULT_CORPUS);
        }
        return here;
    }
}
