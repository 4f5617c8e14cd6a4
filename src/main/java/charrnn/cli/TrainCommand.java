package charrnn.cli;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointDir;
import charrnn.checkpoint.CheckpointFile;
import charrnn.checkpoint.CheckpointMeta;
import charrnn.corpus.Corpus;
import charrnn.corpus.CorpusException;
import charrnn.corpus.Vocabulary;
import charrnn.metrics.MetricsLog;
import charrnn.model.Engine;
import charrnn.model.Precision;
import charrnn.model.Rng;
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
            "Train min-char-rnn on a UTF-8 text file, printing a sample and the loss as it learns.",
            "Runs until interrupted unless --max-iterations is given. Ctrl-C or SIGTERM saves a checkpoint "
                    + "before exiting; --resume continues exactly where a checkpoint left off."},
        footer = {"", "Examples:",
                "  charrnn train",
                "  charrnn train shakespeare.txt --hidden-size 256 --max-iterations 50000",
                "  charrnn train --resume latest",
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

    @Option(names = "--learning-rate", paramLabel = "LR", defaultValue = "0.1",
            description = "Adagrad learning rate (default: ${DEFAULT-VALUE}; with --resume, the checkpoint's).")
    double learningRate;

    @Option(names = "--clip", paramLabel = "C", defaultValue = "5",
            description = "Clip every gradient entry to [-C, C] (default: ${DEFAULT-VALUE}; with --resume, "
                    + "the checkpoint's).")
    double clip;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "double",
            description = "Floating-point type: double or float (default: ${DEFAULT-VALUE}).")
    Precision precision;

    @Option(names = "--engine", paramLabel = "KIND", defaultValue = "fast",
            description = "fast: direct OpenBLAS calls and Java loops; reference: one ND4J operation per "
                    + "equation, slower, for checking (default: ${DEFAULT-VALUE}).")
    Engine.Kind engine;

    @Option(names = "--max-iterations", paramLabel = "N",
            description = "Stop once N iterations are done in total, counted from the start of training, "
                    + "not from a resume (default: run until interrupted).")
    Long maxIterations;

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
        }
        out.flush();
        return 0;
    }

    private Trainer start(PrintStream out) throws IOException {
        TrainConfig config = new TrainConfig(hiddenSize, seqLength, learningRate, clip, sampleEvery, sampleLength,
                logEvery, maxIterations(), seed, precision, engine, valFraction, evalEvery);
        Corpus corpus = Corpus.scan(file != null ? file : defaultCorpus());
        corpus.requireWindow(config.seqLength());
        long trainLength = config.trainLength(corpus.codePoints());
        if (!overwrite && Files.exists(checkpointDir.resolve(CheckpointDir.LATEST))) {
            throw new IllegalArgumentException(checkpointDir + " already holds a saved run: continue it with "
                    + "--resume latest, keep it by choosing another --checkpoint-dir, or replace it with --overwrite");
        }
        out.printf("data has %d characters, %d unique.%n", corpus.codePoints(), corpus.vocabulary().size());
        if (trainLength < corpus.codePoints()) {
            out.printf("training on the first %d, holding out the last %d for validation.%n", trainLength,
                    corpus.codePoints() - trainLength);
        }
        return Trainer.start(config, corpus, new Rng(config.seed()), out);
    }

    /** Continues from a checkpoint, or returns null when it has nothing left to do. */
    private Trainer resume(CheckpointDir checkpoints, PrintStream out) throws IOException {
        Path path = checkpoints.resolve(resume);
        Checkpoint checkpoint = CheckpointFile.load(path);
        CheckpointMeta meta = checkpoint.meta();
        refuseConflict("--hidden-size", hiddenSize, meta.hiddenSize());
        refuseConflict("--seq-length", seqLength, meta.seqLength());
        refuseConflict("--dtype", precision, meta.precision());
        refuseConflict("--val-fraction", valFraction, meta.valFraction());
        TrainConfig config = new TrainConfig(meta.hiddenSize(), meta.seqLength(),
                given("--learning-rate") ? learningRate : meta.learningRate(),
                given("--clip") ? clip : meta.clip(),
                sampleEvery, sampleLength, logEvery, maxIterations(), seed, meta.precision(), engine,
                meta.valFraction(), evalEvery);
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
            return Trainer.start(config, corpus, checkpoint.params(), vocabulary, rng, out);
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
