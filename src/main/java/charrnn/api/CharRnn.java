package charrnn.api;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointException;
import charrnn.checkpoint.CheckpointFile;
import charrnn.corpus.Vocabulary;
import charrnn.model.Engine;
import charrnn.model.NetworkStepper;
import charrnn.sample.Sampler;
import charrnn.train.WindowScorer;
import charrnn.util.Threads;
import charrnn.util.Rng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained character-level model read from a checkpoint of any version and cell: generate text from it,
 * score text under it.
 *
 * <pre>{@code
 * CharRnn model = CharRnn.load(Path.of("checkpoints/latest.npz"));
 * String text = model.generate("Call me ", 200);      // what `charrnn generate --start "Call me " --length 200` prints
 * Score score = model.score("Call me Ishmael.");      // 2.1034 nats/char (3.0346 bits/char) over 15 characters
 * }</pre>
 *
 * <p>Immutable and safe to share between threads: every call works on a state of its own, so the same
 * call returns the same text on any thread, however many run at once.
 */
public final class CharRnn {
    /** The seed {@code charrnn generate} draws with unless told otherwise. */
    public static final long DEFAULT_SEED = 42;
    private static final double LN2 = Math.log(2);

    private final Path source;
    private final Checkpoint saved;          // its arrays are only read
    private final Vocabulary vocabulary;
    private final int threads;

    private CharRnn(Path source, Checkpoint saved, int threads) {
        this.source = source;
        this.saved = saved;
        this.vocabulary = Vocabulary.ofStrings(saved.meta().vocab());
        this.threads = Threads.check(threads);
    }

    /**
     * The same model generating and scoring on {@code threads} threads (1 to 1024; default: the cores the
     * JVM sees). The results do not depend on it, bit for bit.
     *
     * @throws IllegalArgumentException {@code threads} is out of range (one-line message)
     */
    public CharRnn withThreads(int threads) {
        return new CharRnn(source, saved, threads);
    }

    /** The threads it generates and scores on. */
    public int threads() {
        return threads;
    }

    /**
     * Reads a checkpoint (a {@code latest.npz} or {@code iter-N.npz} that {@code charrnn train} saved, of
     * any version and cell).
     *
     * @throws CheckpointException the file is missing or is not a usable checkpoint (one-line message)
     * @throws IOException         reading it failed
     */
    public static CharRnn load(Path checkpoint) throws IOException {
        return new CharRnn(checkpoint, CheckpointFile.read(checkpoint), Threads.available());
    }

    /**
     * The start text followed by {@code length} characters drawn with seed {@value #DEFAULT_SEED} and
     * temperature 1: exactly what {@code charrnn generate --start START --length N} prints.
     *
     * @throws IllegalArgumentException {@code start} is empty or has a character the model does not know,
     *                                  or {@code length} is not positive
     */
    public String generate(String start, int length) {
        return generate(start, Generation.length(length));
    }

    /** The start text followed by the characters drawn as {@code how} says. */
    public String generate(String start, Generation how) {
        return generate(start, how, c -> true);
    }

    /** Receives each drawn character as it is drawn; returns false to stop there. */
    @FunctionalInterface
    public interface CharListener {
        boolean accept(String character);
    }

    /**
     * Streaming generation: hands each drawn character (one code point, as a String) to {@code listener}
     * as soon as it is drawn; the listener's {@code false}, the stop string or the length ends it.
     *
     * @return the start text followed by every character drawn
     */
    public String generate(String start, Generation how, CharListener listener) {
        int[] indices = indices(start);
        StringBuilder text = new StringBuilder(start);
        try (NetworkStepper stepper = new NetworkStepper(Engine.FAST, saved.params(), threads)) {
            Sampler sampler = new Sampler(stepper);
            // the start text but its last character primes the state; the last is the first input
            sampler.prime(java.util.Arrays.copyOf(indices, indices.length - 1));
            Rng rng = new Rng(how.seed());
            int ix = indices[indices.length - 1];
            String stop = how.stopAt();
            for (int n = 0; n < how.length(); n++) {
                ix = sampler.next(ix, how.temperature(), how.topK(), how.topP(), rng);
                String c = Character.toString(vocabulary.codePoint(ix));
                text.append(c);
                if (!listener.accept(c) || (stop != null && text.length() - start.length() >= stop.length()
                        && text.indexOf(stop, text.length() - stop.length()) >= 0)) {
                    break;
                }
            }
        }
        return text.toString();
    }

    private int[] indices(String start) {
        if (start == null || start.isEmpty()) {
            throw new IllegalArgumentException("the start text must not be empty");
        }
        return start.codePoints().map(cp -> {
            int ix = vocabulary.indexOf(cp);
            if (ix < 0) {
                throw new IllegalArgumentException("the start text has the character " + Vocabulary.describe(cp)
                        + ", which is not in the vocabulary of " + source);
            }
            return ix;
        }).toArray();
    }

    /**
     * The loss of {@code text} under the model, in one pass from a zero state with the state carried from
     * each character to the next (the way training scores its held-out text, in windows of the model's
     * sequence length). Characters the vocabulary does not hold are skipped (counted in
     * {@link Score#skipped()}): the model reads the text as if they were not there.
     */
    public Score score(CharSequence text) {
        try (Scorer scorer = new Scorer()) {
            text.codePoints().forEach(scorer::accept);
            return scorer.score();
        }
    }

    /** Scores a text fed one code point at a time (for a text too large to hold, read as a stream). */
    public Scorer scorer() {
        return new Scorer();
    }

    /**
     * A score in progress: {@link #accept(int)} each code point of the text, then {@link #score()}. Has a
     * state of its own (one per thread); {@link #close()} releases it.
     */
    public final class Scorer implements AutoCloseable {
        private final int seqLength = saved.meta().seqLength();
        private final int[] window = new int[seqLength + 1];
        private final int[][] batch = {window};   // the network's view: one stream
        private int filled;                 // characters in window, the boundary one included
        private long skipped;
        private final WindowScorer scorer = new WindowScorer(Engine.FAST, saved.params(), 1, seqLength, threads);

        private Scorer() {
        }

        /** The next character of the text; false (and skipped) when the vocabulary does not hold it. */
        public boolean accept(int codePoint) {
            int ix = vocabulary.indexOf(codePoint);
            if (ix < 0) {
                skipped++;
                return false;
            }
            window[filled++] = ix;
            if (filled == seqLength + 1) {
                scorer.add(batch);
                window[0] = window[seqLength];
                filled = 1;
            }
            return true;
        }

        /** The score of the text so far (the last, partial window scored too). */
        public Score score() {
            double sum = scorer.total();
            long n = scorer.predicted();
            if (filled > 1) {   // the last characters, fewer than a window
                sum += scorer.lossOfShortWindow(java.util.Arrays.copyOf(window, filled));
                n += filled - 1;
            }
            double nats = n == 0 ? Double.NaN : sum / n;
            return new Score(nats, nats / LN2, n, skipped);
        }

        @Override
        public void close() {
            scorer.close();
        }
    }

    /** The characters the model knows, sorted by code point, each one code point. */
    public List<String> vocabulary() {
        return saved.meta().vocab();
    }

    /** Whether the model knows the character. */
    public boolean knows(int codePoint) {
        return vocabulary.indexOf(codePoint) >= 0;
    }

    /** rnn, lstm or gru. */
    public String cell() {
        return saved.deep().cell().toString();
    }

    public int layers() {
        return saved.deep().layers();
    }

    public int hiddenSize() {
        return saved.meta().hiddenSize();
    }

    /** The width of the input embedding; 0 when layer 0 reads one-hot characters. */
    public int embeddingSize() {
        return saved.deep().embeddingSize();
    }

    /** The number of parameters. */
    public long parameterCount() {
        return saved.spec().parameterCount();
    }

    /** The training window's length, T: the window the scorer reads in. */
    public int seqLength() {
        return saved.meta().seqLength();
    }

    /** float64 or float32. */
    public String dtype() {
        return saved.meta().precision().numpyName();
    }

    /** The training iterations behind the model. */
    public long iteration() {
        return saved.meta().iteration();
    }

    /** The checkpoint read. */
    public Path source() {
        return source;
    }

    @Override
    public String toString() {
        return String.format("CharRnn[%s, %d layer%s of %d, %s%,d parameters, %d characters, iteration %d, %s]",
                cell(), layers(), layers() == 1 ? "" : "s", hiddenSize(),
                embeddingSize() > 0 ? "embedding " + embeddingSize() + ", " : "", parameterCount(), vocabulary.size(),
                iteration(), source);
    }
}
