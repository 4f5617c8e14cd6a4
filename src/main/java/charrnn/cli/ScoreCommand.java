package charrnn.cli;

import charrnn.api.CharRnn;
import charrnn.api.Score;
import charrnn.api.Training;
import charrnn.corpus.CorpusException;
import charrnn.corpus.Utf8Reader;
import charrnn.corpus.Vocabulary;
import charrnn.util.Threads;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.commons.io.input.BOMInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "score",
        mixinStandardHelpOptions = true,
        customSynopsis = "charrnn score [-hV] [--threads N] [CHECKPOINT] FILE",
        description = {
            "How well a saved model predicts a text: the mean loss per predicted character, in nats and bits, "
                    + "read in one pass from a zero state (as training scores its held-out text).",
            "Characters the model does not know are skipped, counted and named on stderr."},
        footer = {"", "Examples:",
                "  charrnn score chapter.txt",
                "  charrnn score checkpoints/iter-00020000.npz chapter.txt"})
final class ScoreCommand implements Callable<Integer> {
    @ParentCommand
    Main parent;

    @Parameters(index = "0..1", arity = "1..2", paramLabel = "[CHECKPOINT] FILE", hideParamSyntax = true,
            description = "The saved model (default: " + Training.DEFAULT_CHECKPOINT + "), then the UTF-8 text to score.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads to score on, 1 to 1024; the score is the same bit for bit on any count; more "
                    + "threads than cores is allowed but slower (default: the cores the JVM sees).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        Path checkpoint = paths.size() == 2 ? paths.get(0) : Path.of(Training.DEFAULT_CHECKPOINT);
        Path file = paths.get(paths.size() - 1);
        if (threads != null) {
            Threads.check(threads);
        }
        charrnn.corpus.Corpus.requireFile(file);   // before the checkpoint: a missing text is said first
        CharRnn model = CharRnn.load(checkpoint);
        if (threads != null) {
            model = model.withThreads(threads);
        }
        Set<Integer> unknown = new LinkedHashSet<>();   // the first five the model does not know
        boolean more = false;
        Score score;
        try (CharRnn.Scorer scorer = model.scorer();
             InputStream in = BOMInputStream.builder().setInputStream(Files.newInputStream(file)).get();
             Utf8Reader reader = new Utf8Reader(in, 0)) {
            for (int cp = reader.read(); cp >= 0; cp = reader.read()) {
                if (!scorer.accept(cp) && !unknown.contains(cp)) {
                    if (unknown.size() < 5) {
                        unknown.add(cp);
                    } else {
                        more = true;
                    }
                }
            }
            score = scorer.score();
        } catch (NoSuchFileException e) {
            throw new CorpusException(file + ": no such file");
        } catch (CorpusException e) {
            throw new CorpusException(file + ": " + e.getMessage());
        }
        if (score.characters() == 0) {
            throw new CorpusException(file + " has no two characters in a row that the model knows: nothing to score");
        }
        parent.out().println(score);
        if (score.skipped() > 0) {
            parent.err().printf("charrnn: skipped %,d character%s the model does not know: %s%s%n", score.skipped(),
                    score.skipped() == 1 ? "" : "s",
                    unknown.stream().map(Vocabulary::describe).collect(Collectors.joining(", ")),
                    more ? ", ..." : "");
        }
        return 0;
    }
}
