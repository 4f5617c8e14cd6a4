package charrnn.api;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointDir;
import charrnn.checkpoint.CheckpointFile;
import charrnn.checkpoint.CheckpointMeta;
import charrnn.checkpoint.ModelMeta;
import charrnn.corpus.Corpus;
import charrnn.corpus.CorpusException;
import charrnn.corpus.StreamBatcher;
import charrnn.corpus.Vocabulary;
import charrnn.corpus.TextSource;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.train.RunStart;
import charrnn.train.Runner;
import charrnn.train.TrainConfig;
import charrnn.train.Trainer;
import charrnn.util.Rng;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a {@link Training} begins: a fresh run (its checks in the order a user's mistakes are best named:
 * a missing corpus before a saved run, the model's memory before any output) or a resumed one (the
 * checkpoint's settings, refusing a given option that conflicts with them; the corpus checked against
 * the one the checkpoint was trained on).
 */
final class RunSetup {
    private RunSetup() {
    }

    static Trainer start(Training.Builder b, Runner runner, PrintStream out) throws IOException {
        Checkpoint init = b.initFrom != null ? CheckpointFile.read(b.initFrom) : null;
        TrainConfig config = init != null ? b.initConfig(init) : b.config();
        runner.check(config);
        if (b.corpus != null) {
            Corpus.requireFile(b.corpus);   // a missing text is named before a saved run is
        }
        if (!b.overwrite && Files.exists(b.checkpointDir.resolve(CheckpointDir.LATEST))) {
            throw new IllegalArgumentException(b.checkpointDir + " already holds a saved run: continue it with "
                    + "--resume latest, keep it by choosing another --checkpoint-dir, or replace it with --overwrite");
        }
        Corpus corpus = b.corpusSource != null ? Corpus.scan(b.corpusSource) : Corpus.scan(corpusFile(b));
        corpus.requireWindow(config.seqLength());
        long trainLength = config.trainLength(corpus.codePoints());
        Vocabulary vocabulary = init != null ? Vocabulary.union(Vocabulary.ofStrings(init.meta().vocab()),
                corpus.vocabulary()) : corpus.vocabulary();
        ModelSpec spec = config.spec(vocabulary.size());
        MemoryEstimate.require(spec, config.deep().batchSize(), config.seqLength(), config.deep().isMinCharConfiguration());
        StreamBatcher.requireStreams(trainLength, config.seqLength(), config.deep().batchSize());   // before any output
        if (init != null) {
            int known = init.meta().vocab().size();
            out.printf("starting from the weights of %s; %s%n", b.initFrom, vocabulary.size() == known
                    ? "it knows every character of " + corpus.name()
                    : String.format("%d new character%s added to its %d: %s", vocabulary.size() - known,
                    vocabulary.size() - known == 1 ? "" : "s", known,
                    Vocabulary.ofStrings(init.meta().vocab()).describeMissing(corpus.vocabulary(), 10)));
        }
        out.printf("data has %d characters, %d unique.%n", corpus.codePoints(), corpus.vocabulary().size());
        if (!config.deep().isMinCharConfiguration()) {
            var deep = config.deep();
            out.printf("model: %s, %d layer%s of %d, %s, %,d parameters, %s; %d stream%s of %d characters, "
                            + "%s lr %s%s, %s loss%s%n",
                    spec.cell(), spec.layers(), spec.layers() == 1 ? "" : "s", spec.hiddenSize(),
                    spec.embedded() ? "embedding " + spec.embeddingSize() : "one-hot input",
                    spec.parameterCount(), config.precision(), deep.batchSize(),
                    deep.batchSize() == 1 ? "" : "s", trainLength / deep.batchSize(),
                    deep.optimizer(), config.learningRate(),
                    deep.lrDecay() > 0 ? String.format(" falling to 0 over the last %s%% of the run",
                            new java.math.BigDecimal(100 * deep.lrDecay()).round(new java.math.MathContext(4))
                                    .stripTrailingZeros().toPlainString()) : "",
                    deep.loss(), deep.dropout() > 0 ? ", dropout " + deep.dropout() : "");
        }
        if (trainLength < corpus.codePoints()) {
            out.printf("training on the first %d, holding out the last %d for validation.%n", trainLength,
                    corpus.codePoints() - trainLength);
        }
        Rng rng = new Rng(config.seed());
        ParamSet params = ParamSet.init(spec, rng);
        if (init != null) {
            FineTuning.copyWeights(init.params(), Vocabulary.ofStrings(init.meta().vocab()), params, vocabulary);
        }
        return Trainer.open(RunStart.fresh(config, corpus, params, config.optimizer(), vocabulary, rng),
                runner, out);
    }

    /** The corpus file: the one given, or the stream given written out to the checkpoint folder. */
    private static Path corpusFile(Training.Builder b) throws IOException {
        if (b.corpusReader == null) {
            return b.corpus;
        }
        Files.createDirectories(b.checkpointDir);
        // never over an earlier one: a saved run may name it as its corpus
        Path file = b.checkpointDir.resolve(Training.STREAMED_CORPUS);
        for (int n = 1; Files.exists(file); n++) {
            file = b.checkpointDir.resolve("corpus-" + n + ".txt");
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            b.corpusReader.transferTo(w);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CorpusException("the corpus stream is not valid UTF-8");
        }
        return file;
    }

    /** Continues from a checkpoint, or returns null when it has nothing left to do. */
    static Trainer resume(Training.Builder b, CheckpointDir checkpoints, Runner runner, PrintStream out)
            throws IOException {
        Path path = checkpoints.resolve(b.resume);
        Checkpoint checkpoint = CheckpointFile.read(path);
        CheckpointMeta meta = checkpoint.meta();
        ModelMeta saved = checkpoint.deep();
        TrainConfig config = b.resumedConfig(checkpoint);
        runner.check(config);
        if (config.maxIterations() <= meta.iteration()) {
            b.err.printf("charrnn: %s is at iteration %d already; --max-iterations %d leaves nothing to do%n",
                    path, meta.iteration(), config.maxIterations());
            return null;
        }

        TextSource savedText = meta.corpus() != null ? runner.savedCorpus(meta.corpus().path()) : null;
        Corpus corpus = b.corpusSource != null ? Corpus.scan(b.corpusSource)
                : b.corpus != null || b.corpusReader != null ? Corpus.scan(corpusFile(b))
                : savedText != null ? Corpus.scan(savedText)
                : Corpus.scan(meta.corpus() != null ? savedCorpus(meta.corpus().path()) : Training.defaultCorpus());
        corpus.requireWindow(config.seqLength());
        Vocabulary vocabulary = Vocabulary.ofStrings(meta.vocab());
        int missing = vocabulary.firstMissing(corpus.vocabulary());
        if (missing >= 0) {
            throw new CorpusException(String.format("%s has the character %s, which is not in the vocabulary of %s",
                    corpus.name(), Vocabulary.describe(missing), path));
        }
        boolean atSavedPosition = meta.corpus() != null && !b.corpusChanged;
        if (atSavedPosition) {
            meta.corpus().requireSame(corpus, path);
        }
        Rng rng = meta.rngState() != null ? new Rng(meta.rngState()) : new Rng(b.seed);
        out.printf("data has %d characters, %d unique.%n", corpus.codePoints(), corpus.vocabulary().size());
        if (meta.iteration() == 0) {
            out.printf("starting from the weights in %s%n", path);
            return Trainer.open(RunStart.fresh(config, corpus, checkpoint.params(),
                    RunStart.withLearningRate(saved.optimizer(), config.learningRate()), vocabulary, rng), runner, out);
        }
        out.printf("resuming %s at iteration %d%s%n", path, meta.iteration(),
                atSavedPosition ? "" : ", from the start of " + corpus.name());
        String changed = changes(config, checkpoint);
        if (!changed.isEmpty()) {
            out.printf("changed on resume: %s%n", changed);
        }
        return Trainer.open(RunStart.resumed(config, corpus, checkpoint, atSavedPosition, rng), runner, out);
    }

    /** What a resumed run changes of the checkpoint's recorded settings, as "--flag old → new, ...", or "". */
    static String changes(TrainConfig config, Checkpoint checkpoint) {
        CheckpointMeta meta = checkpoint.meta();
        ModelMeta saved = checkpoint.deep();
        StringBuilder s = new StringBuilder();
        change(s, "--learning-rate", meta.learningRate(), config.learningRate());
        change(s, "--lr-decay", saved.lrDecay(), config.deep().lrDecay());
        change(s, "--clip", meta.clip(), config.clip());
        change(s, "--dropout", saved.dropout(), config.deep().dropout());
        return s.toString();
    }

    private static void change(StringBuilder s, String flag, double was, double now) {
        if (Double.compare(was, now) != 0) {
            s.append(s.length() == 0 ? "" : ", ").append(flag).append(' ').append(TrainOption.number(was))
                    .append(" → ").append(TrainOption.number(now));
        }
    }

    /**
     * The corpus a checkpoint names: a path, or a {@code file:} URI (as charrnn-spark records a local file);
     * another store's URI (hdfs:) cannot be read here, and the user names a local copy.
     */
    private static Path savedCorpus(String location) {
        if (location.startsWith("file:")) {
            return Path.of(java.net.URI.create(location));
        }
        if (location.matches("[A-Za-z][A-Za-z0-9+.-]+:.*") && !Path.of(location).isAbsolute()) {
            throw new CorpusException("the checkpoint's corpus is " + location + ", which charrnn train cannot read; "
                    + "name a local copy of it: charrnn train FILE --resume ...");
        }
        return Path.of(location);
    }
}
