package charrnn.cli;

import charrnn.api.CharRnn;
import charrnn.api.Generation;
import charrnn.api.Training;
import charrnn.corpus.Corpus;
import charrnn.corpus.Vocabulary;
import charrnn.util.Threads;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "generate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Generate text from a saved model: the start text, then --length characters drawn one at a time.",
            "Prints the text alone on stdout, so it can be piped."},
        footer = {"", "The draw's controls apply in this order: --temperature, then --top-k, then --top-p; what is "
                + "kept is drawn from in proportion.", "", "Examples:",
                "  charrnn generate",
                "  charrnn generate checkpoints/iter-00020000.npz --start 'Call me' --length 1000",
                "  charrnn generate --temperature 0.5 --seed 7",
                "  charrnn generate --top-p 0.9 --count 3 --stop '.'"})
final class GenerateCommand implements Callable<Integer> {
    @ParentCommand
    Main parent;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CHECKPOINT", defaultValue = Training.DEFAULT_CHECKPOINT,
            description = "The saved model (default: ${DEFAULT-VALUE}).")
    Path checkpoint;

    @Option(names = "--start", paramLabel = "TEXT",
            description = "Characters to start from; the model reads them, then continues (default: a newline "
                    + "if the vocabulary has one, else its first character).")
    String start;

    @Option(names = "--start-file", paramLabel = "FILE",
            description = "Start from the whole text of FILE instead, read as a corpus is (UTF-8) (default: none).")
    Path startFile;

    @Option(names = "--length", paramLabel = "N", defaultValue = "200",
            description = "Characters to generate after the start text (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0",
            description = "Divides the logits before the softmax, 0 to 10: 1.0 is the plain multinomial draw, lower "
                    + "is more conservative, higher more adventurous; 0 always takes the most likely character "
                    + "(default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K",
            description = "Draw only from the K most likely characters, K ≥ 1 (default: all).")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P",
            description = "Draw only from the smallest set of most likely characters whose probability reaches P, "
                    + "in (0, 1] (default: 1, all).")
    Double topP;

    @Option(names = "--stop", paramLabel = "TEXT",
            description = "End a sample as soon as it ends with TEXT (which is kept), or after --length characters "
                    + "(default: none).")
    String stop;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1",
            description = "Samples to draw, each from the start text; sample i is what --seed S+i draws alone, and "
                    + "more than one are printed between ---- lines as training prints its samples "
                    + "(default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed of the random draws: same seed, same text (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads to generate on, 1 to 1024 (only large vanilla models split a step in two); the "
                    + "text is the same on any count; more threads than cores is allowed but slower (default: the "
                    + "cores the JVM sees).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (length <= 0) {
            throw new IllegalArgumentException("--length must be a positive integer, got " + length);
        }
        if (!(temperature >= 0 && temperature <= Generation.MAX_TEMPERATURE)) {
            throw new IllegalArgumentException("--temperature must be a number from 0 to "
                    + (int) Generation.MAX_TEMPERATURE + ", got " + temperature);
        }
        if (topK != null && topK < 1) {
            throw new IllegalArgumentException("--top-k must be at least 1, got " + topK);
        }
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("--top-p must be in (0, 1], got " + topP);
        }
        if (count < 1) {
            throw new IllegalArgumentException("--count must be a positive integer, got " + count);
        }
        if (stop != null && stop.isEmpty()) {
            throw new IllegalArgumentException("--stop must not be empty");
        }
        if (start != null && startFile != null) {
            throw new IllegalArgumentException("--start and --start-file: give one of them");
        }
        if (start != null && start.isEmpty()) {
            throw new IllegalArgumentException("--start must not be empty");
        }
        if (threads != null) {
            Threads.check(threads);
        }
        CharRnn loaded = CharRnn.load(checkpoint);
        CharRnn model = threads != null ? loaded.withThreads(threads) : loaded;
        List<String> vocabulary = model.vocabulary();
        String text = startFile != null ? Corpus.readText(startFile) : start != null ? start
                : vocabulary.contains("\n") ? "\n" : vocabulary.get(0);
        String option = startFile != null ? "--start-file " + startFile : "--start";
        text.codePoints().filter(cp -> !model.knows(cp)).findFirst().ifPresent(cp -> {
            throw new IllegalArgumentException(option + " has the character " + Vocabulary.describe(cp)
                    + ", which is not in the vocabulary of " + checkpoint);
        });
        Generation how = Generation.length(length).temperature(temperature).topK(topK != null ? topK : 0)
                .topP(topP != null ? topP : 1.0).stopAt(stop);

        PrintStream out = parent.out();
        for (int i = 0; i < count; i++) {
            String generated = model.generate(text, how.seed(seed + i));
            byte[] bytes = (count > 1 ? "----\n " + generated + " \n----\n" : generated)
                    .getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
        }
        if (count == 1 && System.console() != null) {
            out.println();   // at a terminal, end the line; in a pipe, print the text alone
        }
        out.flush();
        return 0;
    }
}
