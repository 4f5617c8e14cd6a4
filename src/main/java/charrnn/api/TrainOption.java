package charrnn.api;

import static charrnn.api.Training.DEFAULT_CHECKPOINT_DIR;
import static charrnn.api.Training.DEFAULT_CHECKPOINT_EVERY;
import static charrnn.api.Training.DEFAULT_CLIP;
import static charrnn.api.Training.DEFAULT_EVAL_EVERY;
import static charrnn.api.Training.DEFAULT_HIDDEN_SIZE;
import static charrnn.api.Training.DEFAULT_KEEP;
import static charrnn.api.Training.DEFAULT_LOG_EVERY;
import static charrnn.api.Training.DEFAULT_SAMPLE_EVERY;
import static charrnn.api.Training.DEFAULT_SAMPLE_LENGTH;
import static charrnn.api.Training.DEFAULT_SEED;
import static charrnn.api.Training.DEFAULT_SEQ_LENGTH;

import charrnn.checkpoint.Checkpoint;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The options of a training run, once: each one's flag, value, help text (with its default) and the
 * {@link Training.Builder} setting it maps to. The command line ({@code charrnn train}) is made from this
 * list and hands each option given to its setter, which checks it (the defaults and messages are the
 * Builder's and {@code TrainConfig}'s); the Java API is the Builder; a checkpoint's meta.json records the
 * resulting configuration; the options a resumed run keeps from its checkpoint are marked ({@link
 * #keptOnResume}). The order is {@code --help}'s.
 */
public enum TrainOption {
    HIDDEN_SIZE("--hidden-size", "H", Integer.class, Training.Builder::hiddenSize,
            "Hidden units (default: " + DEFAULT_HIDDEN_SIZE + ").",
            kept(b -> b.hiddenSize, c -> c.meta().hiddenSize())),
    SEQ_LENGTH("--seq-length", "T", Integer.class, Training.Builder::seqLength,
            "Characters per training window, the steps of backpropagation through time (default: "
                    + DEFAULT_SEQ_LENGTH + ").",
            kept(b -> b.seqLength, c -> c.meta().seqLength())),
    CELL("--cell", "CELL", String.class, Training.Builder::cell,
            "Recurrent cell: rnn (min-char-rnn's tanh cell), lstm or gru, with PyTorch's equations (default: rnn).",
            kept(b -> b.cell, c -> c.deep().cell())),
    LAYERS("--layers", "L", Integer.class, Training.Builder::layers,
            "Stacked layers; layer k > 0 reads the hidden state of layer k-1 (default: 1).",
            kept(b -> b.layers, c -> c.deep().layers())),
    BATCH_SIZE("--batch-size", "B", Integer.class, Training.Builder::batchSize,
            "Parallel streams: the text is cut into B contiguous parts read side by side, each carrying its own "
                    + "state; the loss is averaged over them (default: 1).",
            kept(b -> b.batchSize, c -> c.deep().batchSize())),
    OPTIMIZER("--optimizer", "NAME", String.class, Training.Builder::optimizer,
            "adagrad, rmsprop (α 0.95) or adam (β1 0.9, β2 0.999) (default: adagrad for rnn, min-char-rnn's; adam "
                    + "for lstm and gru, on which adagrad's first steps stall).",
            kept(b -> b.optimizer, c -> c.deep().optimizer().kind())),
    LEARNING_RATE("--learning-rate", "LR", Double.class, Training.Builder::learningRate,
            "Learning rate (default: 0.1 for adagrad, 0.002 for rmsprop and adam; with --resume, the checkpoint's)."),
    DROPOUT("--dropout", "P", Double.class, Training.Builder::dropout,
            "Inverted dropout in training on the input of every layer above the first and on the decoder's input; "
                    + "never in sampling or scoring (default: 0; with --resume, the checkpoint's)."),
    EMBEDDING_SIZE("--embedding-size", "E", Integer.class, Training.Builder::embeddingSize,
            "Layer 0 reads a learned embedding row of E values per character (V×E, drawn from N(0, 1) as "
                    + "PyTorch's nn.Embedding) instead of a one-hot vector; 0: one-hot (default: 0 for rnn, "
                    + "min-char-rnn's; the hidden size for lstm and gru; with --resume, the checkpoint's).",
            kept(b -> b.embeddingSize, c -> c.deep().embeddingSize())),
    LOSS("--loss", "sum|mean", String.class, Training.Builder::loss,
            "What the gradients, clipping and the optimizer see: sum, the window's loss summed over its T "
                    + "characters and averaged over the streams (min-char-rnn's, char-rnn's); mean, averaged over "
                    + "all B·T characters (PyTorch's), 1/T of it. The printed loss is the same either way (default: "
                    + "sum for rnn, mean for lstm and gru; with --resume, the checkpoint's).",
            kept(b -> b.loss, c -> c.deep().loss())),
    LR_DECAY("--lr-decay", "F", Double.class, Training.Builder::lrDecay,
            "Over the last F (0 to 1) of the run the learning rate falls linearly to 0; the run's length is "
                    + "--max-iterations or --max-minutes, whichever ends first, and one of them is needed; 0 keeps "
                    + "it constant (default: 0.3 for lstm and gru when the run has an end, else 0; with --resume, "
                    + "the checkpoint's)."),
    CLIP("--clip", "C", Double.class, Training.Builder::clip,
            "Clip every gradient entry to [-C, C] (default: " + number(DEFAULT_CLIP)
                    + "; with --resume, the checkpoint's)."),
    DTYPE("--dtype", "TYPE", String.class, Training.Builder::dtype,
            "Floating-point type: double or float (default: double for rnn, float for lstm and gru, as PyTorch's "
                    + "default for those).",
            kept(b -> b.precision, c -> c.meta().precision())),
    ENGINE("--engine", "KIND", String.class, Training.Builder::engine,
            "fast: direct OpenBLAS calls and Java loops; reference: one ND4J operation per equation, slower, for "
                    + "checking (default: fast)."),
    THREADS("--threads", "N", Integer.class, Training.Builder::threads,
            "Threads to train on, 1 to 1024; the result is the same bit for bit on any count, and --resume may "
                    + "change it; more threads than cores is allowed but slower (default: the cores the JVM sees)."),
    MAX_ITERATIONS("--max-iterations", "N", Long.class, Training.Builder::maxIterations,
            "Stop once N iterations are done in total, counted from the start of training, not from a resume "
                    + "(default: run until interrupted)."),
    MAX_MINUTES("--max-minutes", "M", Double.class, Training.Builder::maxMinutes,
            "Stop and save after M minutes of training in this session, held-out scoring not counted (default: "
                    + "no limit)."),
    SEED("--seed", "S", Long.class, Training.Builder::seed,
            "Seed of the one random generator used for the initial weights and for sampling: same seed, same "
                    + "file, same run (default: " + DEFAULT_SEED + "; with --resume, the checkpoint's random "
                    + "stream continues)."),
    SAMPLE_EVERY("--sample-every", "N", Integer.class, Training.Builder::sampleEvery,
            "Print a sample every N iterations; 0 turns sampling off (default: " + DEFAULT_SAMPLE_EVERY + ")."),
    SAMPLE_LENGTH("--sample-length", "N", Integer.class, Training.Builder::sampleLength,
            "Characters per sample (default: " + DEFAULT_SAMPLE_LENGTH + ")."),
    LOG_EVERY("--log-every", "N", Integer.class, Training.Builder::logEvery,
            "Print the loss every N iterations; 0 turns it off (default: " + DEFAULT_LOG_EVERY + ")."),
    VAL_FRACTION("--val-fraction", "F", Double.class, Training.Builder::valFraction,
            "Hold out the last F of the corpus (0 to 0.5), never train on it, and report the loss on it (default: "
                    + "0, nothing held out, as min-char-rnn).",
            kept(b -> b.valFraction, c -> c.meta().valFraction())),
    EVAL_EVERY("--eval-every", "N", Integer.class, Training.Builder::evalEvery,
            "Score the held-out text every N iterations and at the end (default: " + DEFAULT_EVAL_EVERY + ")."),
    CHECKPOINT_DIR("--checkpoint-dir", "DIR", Path.class, Training.Builder::checkpointDir,
            "Where checkpoints go (iter-N.npz per save and latest.npz, the newest), with metrics.csv, samples.txt "
                    + "and loss.png (default: " + DEFAULT_CHECKPOINT_DIR + ")."),
    CHECKPOINT_EVERY("--checkpoint-every", "N", Integer.class, Training.Builder::checkpointEvery,
            "Save a checkpoint every N iterations, and always at the end; 0 saves only at the end (default: "
                    + DEFAULT_CHECKPOINT_EVERY + ")."),
    KEEP("--keep", "N", Integer.class, Training.Builder::keep,
            "Keep the newest N iteration checkpoints besides latest.npz (default: " + DEFAULT_KEEP + ")."),
    RESUME("--resume", "CHECKPOINT", String.class, Training.Builder::resume,
            "Continue a saved run exactly: a checkpoint file, or 'latest' for DIR/latest.npz. Hyperparameters "
                    + "come from the checkpoint; --learning-rate, --lr-decay, --clip, --dropout, the run's length, "
                    + "sampling, logging, evaluation and --threads may change (a line says what changed), the "
                    + "model's shape may not (default: start afresh)."),
    INIT_FROM("--init-from", "CHECKPOINT", Path.class, Training.Builder::initFrom,
            "Fine-tune: start a new run from a checkpoint's weights (any version, any cell) on FILE, with a fresh "
                    + "optimizer, schedule, position and metrics; characters of FILE it does not know are added to "
                    + "its vocabulary. Its cell, layers, hidden size, embedding and dtype are kept (default: new "
                    + "weights)."),
    CORPUS_CHANGED("--corpus-changed", null, Boolean.class, Training.Builder::corpusChanged,
            "With --resume: train on FILE although it is not the checkpoint's corpus, from its start; its "
                    + "characters must all be in the checkpoint's vocabulary (default: off)."),
    OVERWRITE("--overwrite", null, Boolean.class, Training.Builder::overwrite,
            "Start a new run in DIR even though it holds a saved one, replacing its files (default: refuse, so "
                    + "that a run is not lost by mistake).");

    /** The flag, as the command line spells it. */
    public final String flag;
    /** The value's name in the help; null for a switch (a flag without a value). */
    public final String label;
    /** The value's type: Integer, Long, Double, String, Path, or Boolean for a switch. */
    public final Class<?> type;
    /** What it does, with its default. */
    public final String description;
    private final BiConsumer<Training.Builder, Object> setter;
    private final Kept kept;   // null: a resumed run may change it

    <T> TrainOption(String flag, String label, Class<T> type, BiConsumer<Training.Builder, T> setter,
                    String description) {
        this(flag, label, type, setter, description, null);
    }

    <T> TrainOption(String flag, String label, Class<T> type, BiConsumer<Training.Builder, T> setter,
                    String description, Kept kept) {
        this.flag = flag;
        this.label = label;
        this.type = type;
        this.description = description;
        this.setter = (b, value) -> setter.accept(b, type.cast(value));
        this.kept = kept;
    }

    /**
     * An option a resumed run takes from its checkpoint (it shapes the model, the optimizer's state or
     * the held-out text): its value as set, and as saved, to refuse a conflict.
     */
    record Kept(Function<Training.Builder, Object> given, Function<Checkpoint, Object> saved) {
    }

    private static Kept kept(Function<Training.Builder, Object> given, Function<Checkpoint, Object> saved) {
        return new Kept(given, saved);
    }

    /** Whether a resumed run keeps the checkpoint's value (giving another is refused). */
    public boolean keptOnResume() {
        return kept != null;
    }

    /** This option's value in {@code builder} (as set) and in {@code saved}, for one that {@link #keptOnResume}. */
    Object given(Training.Builder builder) {
        return kept.given().apply(builder);
    }

    Object saved(Checkpoint checkpoint) {
        return kept.saved().apply(checkpoint);
    }

    /** Sets this option on {@code builder} to {@code value} (of {@link #type}), which the builder checks. */
    public void apply(Training.Builder builder, Object value) {
        setter.accept(builder, value);
    }

    static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
