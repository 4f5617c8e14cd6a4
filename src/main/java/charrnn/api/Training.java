package charrnn.api;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointDir;
import charrnn.checkpoint.CheckpointFile;
import charrnn.checkpoint.CheckpointMeta;
import charrnn.checkpoint.ModelMeta;
import charrnn.corpus.CorpusException;
import charrnn.metrics.MetricsLog;
import charrnn.model.CellType;
import charrnn.model.Engine;
import charrnn.model.Precision;
import charrnn.optim.LossNormalization;
import charrnn.optim.OptimizerConfig;
import charrnn.train.TrainConfig;
import charrnn.corpus.TextSource;
import charrnn.train.Runner;
import charrnn.train.Trainer;
import charrnn.util.Names;
import charrnn.util.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A training run, set up as {@code charrnn train} sets one up (every option, the same defaults, the same
 * messages: the command line builds one of these) and run from Java.
 *
 * <pre>{@code
 * TrainingResult result = Training.builder()
 *         .corpus(Path.of("moby-dick.txt"))
 *         .cell("lstm").layers(2).hiddenSize(128).batchSize(16)
 *         .maxIterations(2000)
 *         .checkpointDir(Path.of("runs/lstm"))
 *         .listener(new TrainingListener() {
 *             public void onValidation(long iteration, double nats) { System.out.println(nats); }
 *         })
 *         .build()
 *         .run();
 * }</pre>
 *
 * <p>Errors: a bad setting is an {@link IllegalArgumentException}, a bad corpus a
 * {@link CorpusException}, a bad checkpoint a {@link charrnn.checkpoint.CheckpointException}; each message
 * is the one line the command line prints. {@link #stop()}, from any thread, ends the run after the
 * iteration under way and saves a checkpoint, as Ctrl-C does.
 */
public final class Training {
    public static final int DEFAULT_HIDDEN_SIZE = 100;
    public static final int DEFAULT_SEQ_LENGTH = 25;
    public static final double DEFAULT_CLIP = 5;
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_SAMPLE_EVERY = 100;
    public static final int DEFAULT_SAMPLE_LENGTH = 200;
    public static final int DEFAULT_LOG_EVERY = 100;
    public static final int DEFAULT_EVAL_EVERY = 1000;
    public static final int DEFAULT_CHECKPOINT_EVERY = 1000;
    public static final int DEFAULT_KEEP = 5;
    /** lstm and gru runs that have an end: the learning rate falls to 0 over their last 30 %. */
    public static final double DEFAULT_LR_DECAY = 0.3;
    public static final String DEFAULT_CHECKPOINT_DIR = "checkpoints";
    /** The text a run trains on when none is named (Moby-Dick, in the repository and the installation). */
    public static final String DEFAULT_CORPUS = "corpus/input.txt";
    /** The checkpoint {@code generate} and {@code score} read when none is named. */
    public static final String DEFAULT_CHECKPOINT = DEFAULT_CHECKPOINT_DIR + "/" + CheckpointDir.LATEST;
    /** The metrics {@code plot} draws when none is named. */
    public static final String DEFAULT_METRICS = DEFAULT_CHECKPOINT_DIR + "/metrics.csv";
    /**
     * The file a corpus given as a stream is written to, in the checkpoint folder (so a run can resume);
     * corpus-1.txt, corpus-2.txt, ... when it exists already.
     */
    public static final String STREAMED_CORPUS = "corpus.txt";

    private final Builder b;
    private volatile Trainer trainer;
    private volatile boolean stopRequested;

    private Training(Builder b) {
        this.b = b;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The settings of a run; {@link #build()} checks them. Each setter's default is {@code charrnn train}'s.
     * Setting a model option that conflicts with a checkpoint being resumed is refused, as on the command line.
     */
    public static final class Builder implements Cloneable {
        Path corpus;
        Reader corpusReader;
        TextSource corpusSource;
        int hiddenSize = DEFAULT_HIDDEN_SIZE;
        int seqLength = DEFAULT_SEQ_LENGTH;
        CellType cell = CellType.RNN;
        int layers = 1;
        int batchSize = 1;
        OptimizerConfig.Kind optimizer;
        Double learningRate;
        double dropout;
        Integer embeddingSize;
        LossNormalization loss;
        Double lrDecay;
        double clip = DEFAULT_CLIP;
        Precision precision;
        Engine engine = Engine.FAST;
        int threads = Threads.available();
        Long maxIterations;
        Double maxMinutes;
        long seed = DEFAULT_SEED;
        int sampleEvery = DEFAULT_SAMPLE_EVERY;
        int sampleLength = DEFAULT_SAMPLE_LENGTH;
        int logEvery = DEFAULT_LOG_EVERY;
        double valFraction;
        int evalEvery = DEFAULT_EVAL_EVERY;
        Path checkpointDir = Path.of(DEFAULT_CHECKPOINT_DIR);
        int checkpointEvery = DEFAULT_CHECKPOINT_EVERY;
        int keep = DEFAULT_KEEP;
        String resume;
        Path initFrom;
        boolean corpusChanged;
        boolean overwrite;
        PrintStream out = new PrintStream(OutputStream.nullOutputStream());
        PrintStream err = new PrintStream(OutputStream.nullOutputStream());
        TrainingListener listener = new TrainingListener() { };
        Set<String> given = new HashSet<>();

        private Builder() {
        }

        private Builder set(String option) {
            given.add(option);
            return this;
        }

        /** The UTF-8 text file to train on (streamed from disk, never held in memory). */
        public Builder corpus(Path file) {
            this.corpus = file;
            this.corpusReader = null;
            this.corpusSource = null;
            return this;
        }

        /** A UTF-8 text read from {@code text}, which can open it at any byte (another file system's, say). */
        public Builder corpus(TextSource text) {
            this.corpusSource = text;
            this.corpus = null;
            this.corpusReader = null;
            return this;
        }

        /**
         * A text to train on, read once as a stream and written to {@value #STREAMED_CORPUS} in the
         * checkpoint folder (training reads its corpus more than once, and a resumed run needs it again).
         */
        public Builder corpus(Reader text) {
            this.corpusReader = text;
            this.corpus = null;
            this.corpusSource = null;
            return this;
        }

        /** {@link #corpus(Reader)} of UTF-8 bytes. */
        public Builder corpus(InputStream utf8) {
            return corpus(new java.io.InputStreamReader(utf8, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)));
        }

        /** Hidden units (default 100). */
        public Builder hiddenSize(int h) {
            hiddenSize = h;
            return set("--hidden-size");
        }

        /** Characters per training window (default 25). */
        public Builder seqLength(int t) {
            seqLength = t;
            return set("--seq-length");
        }

        /** rnn (default), lstm or gru. */
        public Builder cell(String name) {
            cell = Names.option("--cell", CellType.class, name);
            return set("--cell");
        }

        /** Stacked layers (default 1). */
        public Builder layers(int l) {
            layers = l;
            return set("--layers");
        }

        /** Parallel streams (default 1). */
        public Builder batchSize(int streams) {
            batchSize = streams;
            return set("--batch-size");
        }

        /** adagrad, rmsprop or adam (default: adagrad for rnn, adam for lstm and gru). */
        public Builder optimizer(String name) {
            optimizer = Names.option("--optimizer", OptimizerConfig.Kind.class, name);
            return set("--optimizer");
        }

        /** Learning rate (default: 0.1 for adagrad, 0.002 for rmsprop and adam; resumed: the checkpoint's). */
        public Builder learningRate(double lr) {
            learningRate = lr;
            return set("--learning-rate");
        }

        /** Dropout probability in training, within [0, 1) (default 0). */
        public Builder dropout(double p) {
            dropout = p;
            return set("--dropout");
        }

        /**
         * Width E of layer 0's learned input embedding (V×E, drawn from N(0, 1) as PyTorch's
         * {@code nn.Embedding}); 0 reads one-hot characters (default: 0 for rnn, the hidden size for lstm
         * and gru).
         */
        public Builder embeddingSize(int e) {
            embeddingSize = e;
            return set("--embedding-size");
        }

        /**
         * sum (the window's loss summed over its characters and averaged over the streams, min-char-rnn's)
         * or mean (averaged over all characters, PyTorch's): what the gradients, clipping and the optimizer
         * see (default: sum for rnn, mean for lstm and gru).
         */
        public Builder loss(String name) {
            loss = Names.option("--loss", LossNormalization.class, name);
            return set("--loss");
        }

        /**
         * The last fraction of the run, within [0, 1], over which the learning rate falls linearly to 0 (the
         * run's length: {@link #maxIterations} or {@link #maxMinutes}, whichever ends first; one of them is
         * needed); 0 keeps it constant (default: 0.3 for lstm and gru when the run has an end, else 0;
         * resumed: the checkpoint's).
         */
        public Builder lrDecay(double fraction) {
            lrDecay = fraction;
            return set("--lr-decay");
        }

        /** Clip every gradient entry to [-c, c] (default 5). */
        public Builder clip(double c) {
            clip = c;
            return set("--clip");
        }

        /** double or float (default: double for rnn, float for lstm and gru). */
        public Builder dtype(String name) {
            precision = switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
                case "double", "float64" -> Precision.DOUBLE;
                case "float", "float32" -> Precision.FLOAT;
                default -> throw new IllegalArgumentException("--dtype must be double or float, got " + name);
            };
            return set("--dtype");
        }

        /** fast (default) or reference. */
        public Builder engine(String name) {
            engine = Names.option("--engine", Engine.class, name);
            return set("--engine");
        }

        /**
         * Threads the engine runs on, 1 to 1024 (default: the cores the JVM sees). The result is the same bit
         * for bit on any count, and a resumed run may use another; more threads than cores is slower.
         */
        public Builder threads(int n) {
            threads = Threads.check(n);
            return set("--threads");
        }

        /** Stop once this many iterations are done in total (default: until {@link Training#stop()}). */
        public Builder maxIterations(long n) {
            maxIterations = n;
            return set("--max-iterations");
        }

        /** Stop after this many minutes of training in this session (default: no limit). */
        public Builder maxMinutes(double minutes) {
            maxMinutes = minutes;
            return set("--max-minutes");
        }

        /** Seed of the initial weights and the samples (default 42). */
        public Builder seed(long s) {
            seed = s;
            return set("--seed");
        }

        /** A sample every n iterations, 0 for none (default 100). */
        public Builder sampleEvery(int n) {
            sampleEvery = n;
            return set("--sample-every");
        }

        /** Characters per sample (default 200). */
        public Builder sampleLength(int n) {
            sampleLength = n;
            return set("--sample-length");
        }

        /** A log line every n iterations, 0 for none (default 100). */
        public Builder logEvery(int n) {
            logEvery = n;
            return set("--log-every");
        }

        /** Hold out the last fraction of the corpus, within [0, 0.5] (default 0). */
        public Builder valFraction(double f) {
            valFraction = f;
            return set("--val-fraction");
        }

        /** Score the held-out text every n iterations and at the end (default 1000). */
        public Builder evalEvery(int n) {
            evalEvery = n;
            return set("--eval-every");
        }

        /** Where checkpoints, metrics.csv, samples.txt and loss.png go (default checkpoints). */
        public Builder checkpointDir(Path dir) {
            checkpointDir = dir;
            return set("--checkpoint-dir");
        }

        /** A checkpoint every n iterations and at the end; 0: only at the end (default 1000). */
        public Builder checkpointEvery(int n) {
            checkpointEvery = n;
            return set("--checkpoint-every");
        }

        /** The newest n iteration checkpoints kept besides latest.npz (default 5). */
        public Builder keep(int n) {
            keep = n;
            return set("--keep");
        }

        /** Continue a saved run: a checkpoint file, or "latest" for the checkpoint folder's latest.npz. */
        public Builder resume(String checkpoint) {
            resume = checkpoint;
            return set("--resume");
        }

        /**
         * Fine-tuning: a new run whose model starts from {@code checkpoint}'s weights (any version, any cell),
         * with a fresh optimizer, schedule, position and metrics on this run's corpus. Characters of the corpus
         * that the checkpoint does not know extend its vocabulary, their rows drawn as a new model's would
         * be. The model's shape is the checkpoint's: another cell, layer count, hidden size, embedding size
         * or dtype is refused.
         */
        public Builder initFrom(Path checkpoint) {
            initFrom = checkpoint;
            return set("--init-from");
        }

        /** With {@link #resume}: train on a corpus that is not the checkpoint's, from its start. */
        public Builder corpusChanged(boolean changed) {
            corpusChanged = changed;
            return set("--corpus-changed");
        }

        /** Start a new run in a folder that holds a saved one, replacing its files (default: refused). */
        public Builder overwrite(boolean replace) {
            overwrite = replace;
            return set("--overwrite");
        }

        /** Where the log lines and samples go, and the one-line reports (default: nowhere). */
        public Builder output(PrintStream output, PrintStream errors) {
            out = output;
            err = errors;
            return this;
        }

        /** Told of every iteration, sample, validation and checkpoint. */
        public Builder listener(TrainingListener l) {
            listener = l;
            return this;
        }

        /** Checks the settings (each message names the option, as the command line does). */
        public Training build() {
            if (checkpointEvery < 0) {
                throw new IllegalArgumentException("--checkpoint-every must be 0 (only at the end) or a positive "
                        + "integer, got " + checkpointEvery);
            }
            if (keep < 1) {
                throw new IllegalArgumentException("--keep must be a positive integer, got " + keep);
            }
            if (corpusChanged && resume == null) {
                throw new IllegalArgumentException("--corpus-changed goes with --resume");
            }
            if (initFrom != null && resume != null) {
                throw new IllegalArgumentException("--init-from starts a new run and --resume continues one: give one "
                        + "of them");
            }
            if (corpus == null && corpusReader == null && corpusSource == null && resume == null) {
                throw new IllegalArgumentException("no corpus: give a text to train on, or a checkpoint to resume");
            }
            if (resume == null) {
                config();   // the values' own checks, before anything is read
            }
            return new Training(copy());   // later changes to this builder do not reach the built run
        }

        /** A copy of these settings (the built run's: later changes to this builder do not reach it). */
        private Builder copy() {
            try {
                Builder c = (Builder) super.clone();   // every setting is immutable but the set of those given
                c.given = new HashSet<>(given);
                return c;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        /**
         * Where a run keeps its files and what it continues, as set: for a program that runs its own loop
         * over charrnn's parts (charrnn-spark).
         */
        public record Storage(Path checkpointDir, int checkpointEvery, int keep, String resume,
                              boolean corpusChanged, boolean overwrite) {
        }

        /** The checkpoint folder, frequency, kept count, the checkpoint to resume and the overwrite flag. */
        public Storage storage() {
            return new Storage(checkpointDir, checkpointEvery, keep, resume, corpusChanged, overwrite);
        }

        /**
         * The configuration of a fresh run with these settings, each option's default filled in (the
         * optimizer, embedding, loss, dtype and learning-rate decay depend on the cell).
         *
         * @throws IllegalArgumentException a value out of its range, naming the flag
         */
        public TrainConfig config() {
            OptimizerConfig.Kind kind = optimizer != null ? optimizer
                    : cell == CellType.RNN ? OptimizerConfig.Kind.ADAGRAD : OptimizerConfig.Kind.ADAM;
            int e = embeddingSize != null ? embeddingSize : cell == CellType.RNN ? 0 : hiddenSize;
            LossNormalization l = loss != null ? loss : cell == CellType.RNN ? LossNormalization.SUM
                    : LossNormalization.MEAN;
            boolean hasEnd = maxIterations != null || maxMinutes != null;
            double decay = lrDecay != null ? lrDecay : cell != CellType.RNN && hasEnd ? DEFAULT_LR_DECAY : 0;
            TrainConfig.DeepOptions deep = new TrainConfig.DeepOptions(cell, layers, batchSize, kind, dropout, e, l,
                    decay);
            Precision dtype = precision != null ? precision : cell == CellType.RNN ? Precision.DOUBLE : Precision.FLOAT;
            return new TrainConfig(hiddenSize, seqLength, learningRate != null ? learningRate
                    : kind.defaultLearningRate, clip, sampleEvery, sampleLength, logEvery, maxIterations(), seed,
                    dtype, engine, valFraction, evalEvery, deep, maxMinutes(), threads);
        }

        /**
         * The configuration of a run fine-tuning {@code checkpoint} ({@link #initFrom}): its model's shape, and
         * every other setting as for a fresh run.
         *
         * @throws IllegalArgumentException a given model option differs from the checkpoint's
         */
        public TrainConfig initConfig(Checkpoint checkpoint) {
            ModelMeta saved = checkpoint.deep();
            CheckpointMeta meta = checkpoint.meta();
            refuseOther("--cell", cell, saved.cell());
            refuseOther("--layers", layers, saved.layers());
            refuseOther("--hidden-size", hiddenSize, meta.hiddenSize());
            refuseOther("--embedding-size", embeddingSize, saved.embeddingSize());
            refuseOther("--dtype", precision, meta.precision());
            Builder b = copy();
            b.cell = saved.cell();
            b.layers = saved.layers();
            b.hiddenSize = meta.hiddenSize();
            b.embeddingSize = saved.embeddingSize();
            b.precision = meta.precision();
            return b.config();
        }

        private void refuseOther(String option, Object value, Object saved) {
            if (given.contains(option) && !value.equals(saved)) {
                throw new IllegalArgumentException(String.format("%s %s differs from the checkpoint's %s; --init-from "
                        + "takes its model as it is", option, value, saved));
            }
        }

        /**
         * The configuration of a run continuing {@code checkpoint}: the model, its window and its held-out
         * fraction are the checkpoint's, and a given option that conflicts with them is refused; the learning
         * rate and clip are the checkpoint's unless given; the rest is as set.
         *
         * @throws IllegalArgumentException a given option conflicts with the checkpoint's
         */
        public TrainConfig resumedConfig(Checkpoint checkpoint) {
            CheckpointMeta meta = checkpoint.meta();
            ModelMeta saved = checkpoint.deep();
            TrainConfig.DeepOptions deep = new TrainConfig.DeepOptions(saved.cell(), saved.layers(),
                    saved.batchSize(), saved.optimizer().kind(), given.contains("--dropout") ? dropout : saved.dropout(),
                    saved.embeddingSize(), saved.loss(),
                    lrDecay != null ? lrDecay : saved.lrDecay());
            for (TrainOption o : TrainOption.values()) {
                if (o.keptOnResume()) {
                    refuseConflict(o.flag, o.given(this), o.saved(checkpoint));
                }
            }
            return new TrainConfig(meta.hiddenSize(), meta.seqLength(),
                    learningRate != null ? learningRate : meta.learningRate(),
                    given.contains("--clip") ? clip : meta.clip(),
                    sampleEvery, sampleLength, logEvery, maxIterations(), seed, meta.precision(), engine,
                    meta.valFraction(), evalEvery, deep, maxMinutes(), threads);
        }

        private void refuseConflict(String option, Object value, Object saved) {
            if (given.contains(option) && !value.equals(saved)) {
                throw new IllegalArgumentException(String.format(
                        "%s %s conflicts with the checkpoint's %s; a resumed run keeps the checkpoint's", option,
                        value, saved));
            }
        }

        double maxMinutes() {
            return maxMinutes == null ? Double.POSITIVE_INFINITY : maxMinutes;
        }

        long maxIterations() {
            return maxIterations == null ? TrainConfig.UNLIMITED : maxIterations;
        }
    }

    /**
     * Trains until the iterations or minutes are done or {@link #stop()} is called, saving checkpoints as
     * set; runs in the calling thread.
     *
     * @throws IllegalArgumentException a setting that does not fit the corpus or the checkpoint
     * @throws CorpusException          the corpus is missing, not UTF-8, too short, or changed under the run
     * @throws IOException              reading or writing failed otherwise
     */
    public TrainingResult run() throws IOException {
        return run(Runner.LOCAL);
    }

    /**
     * {@link #run()} with another runner computing the iterations (charrnn-spark's workers); the start, the
     * resume, the loop, the log, the held-out scores and the checkpoints are the same.
     */
    public TrainingResult run(Runner runner) throws IOException {
        PrintStream out = b.out;
        try (CheckpointDir checkpoints = new CheckpointDir(b.checkpointDir, b.keep);
             Trainer t = b.resume == null ? RunSetup.start(b, runner, out)
                     : RunSetup.resume(b, checkpoints, runner, out)) {
            if (t == null) {   // a resumed run with nothing left to do
                Checkpoint saved = CheckpointFile.read(checkpoints.resolve(b.resume));
                return new TrainingResult(saved.meta().iteration(), saved.meta().smoothLoss() / saved.meta()
                        .seqLength(), Double.NaN, checkpoints.resolve(b.resume), false, false);
            }
            checkpoints.removeLeftovers();
            if (b.resume == null && b.overwrite) {
                checkpoints.clear();   // an older run's higher iteration numbers would outlive the new files
            }
            t.saveCheckpoints(checkpoints, b.checkpointEvery, b.err);
            t.listen(b.listener);
            try (MetricsLog metrics = b.resume == null ? MetricsLog.start(b.checkpointDir)
                    : MetricsLog.resume(b.checkpointDir)) {
                t.record(metrics, b.checkpointDir.resolve("loss.png"));
                trainer = t;
                if (stopRequested) {
                    t.requestStop();
                }
                t.run();
            } finally {
                trainer = null;
            }
            out.flush();
            return new TrainingResult(t.iteration(), t.smoothLoss() / t.seqLength(), t.lastValidation(),
                    t.lastSaved(), t.stopped(), t.endStateLost());
        }
    }

    /** Ends the run after the iteration under way, saving a checkpoint (safe from any thread, any time). */
    public void stop() {
        stopRequested = true;
        Trainer t = trainer;
        if (t != null) {
            t.requestStop();
        }
    }

    /** The default corpus: corpus/input.txt in the working folder, else in the installation the launcher names. */
    public static Path defaultCorpus() {
        Path here = Path.of(DEFAULT_CORPUS);
        String home = System.getProperty("charrnn.home");
        if (!Files.exists(here) && home != null) {
            return Path.of(home).resolve(DEFAULT_CORPUS);
        }
        return here;
    }
}
