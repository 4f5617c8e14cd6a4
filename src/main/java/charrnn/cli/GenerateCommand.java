package charrnn.cli;

import charrnn.api.CharRnn;
import charrnn.api.Generation;
import charrnn.api.Training;
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
        footer = {"", "Examples:",
                "  charrnn generate",
                "  charrnn generate checkpoints/iter-00020000.npz --start 'Call me' --length 1000",
                "  charrnn generate --temperature 0.5 --seed 7"})
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

    @Option(names = "--length", paramLabel = "N", defaultValue = "200",
            description = "Characters to generate after the start text (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0",
            description = "Divides the logits before the softmax: 1.0 is the plain multinomial draw, lower is "
                    + "more conservative, higher more adventurous (default: ${DEFAULT-VALUE}).")
    double temperature;

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
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("--temperature must be a positive number, got " + temperature);
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
        String text = start != null ? start : vocabulary.contains("\n") ? "\n" : vocabulary.get(0);
        text.codePoints().filter(cp -> !model.knows(cp)).findFirst().ifPresent(cp -> {
            throw new IllegalArgumentException("--start has the character " + Vocabulary.describe(cp)
                    + ", which is not in the vocabulary of " + checkpoint);
        });
        String generated = model.generate(text, Generation.length(length).seed(seed).temperature(temperature));

        PrintStream out = parent.out();
        byte[] bytes = generated.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        if (System.console() != null) {
            out.println();   // at a terminal, end the line; in a pipe, print the text alone
        }
        out.flush();
        return 0;
    }
}
