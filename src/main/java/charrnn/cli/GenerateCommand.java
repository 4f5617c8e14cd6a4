package charrnn.cli;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointFile;
import charrnn.checkpoint.DeepCheckpoint;
import charrnn.checkpoint.SavedRun;
import charrnn.corpus.Vocabulary;
import charrnn.model.Engine;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.model.StackedStepper;
import charrnn.sample.Sampler;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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

    @Parameters(index = "0", arity = "0..1", paramLabel = "CHECKPOINT", defaultValue = "checkpoints/latest.npz",
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
        SavedRun saved = CheckpointFile.read(checkpoint);
        Vocabulary vocabulary = Vocabulary.ofStrings(saved.meta().vocab());
        String text = start != null ? start
                : Character.toString(vocabulary.indexOf('\n') >= 0 ? '\n' : vocabulary.codePoint(0));
        int[] indices = text.codePoints().map(cp -> {
            int ix = vocabulary.indexOf(cp);
            if (ix < 0) {
                throw new IllegalArgumentException("--start has the character " + Vocabulary.describe(cp)
                        + ", which is not in the vocabulary of " + checkpoint);
            }
            return ix;
        }).toArray();

        // read all but the last start character from a zero state; the last one is the first input to sample
        int[] drawn;
        if (saved instanceof Checkpoint minChar) {
            Params params = minChar.params();
            try (Engine engine = Engine.create(Engine.Kind.FAST, params, 1)) {
                Sampler sampler = new Sampler(engine);
                INDArray h = Nd4j.zeros(params.dataType(), params.hiddenSize(), 1);
                sampler.prime(h, Arrays.copyOf(indices, indices.length - 1), h);
                drawn = sampler.sample(h, indices[indices.length - 1], length, temperature, new Rng(seed));
            }
        } else {
            Sampler sampler = new Sampler(new StackedStepper(Engine.Kind.FAST, ((DeepCheckpoint) saved).params()));
            sampler.prime(Arrays.copyOf(indices, indices.length - 1));
            drawn = sampler.sample(indices[indices.length - 1], length, temperature, new Rng(seed));
        }

        PrintStream out = parent.out();
        byte[] bytes = (text + vocabulary.decode(drawn)).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        if (System.console() != null) {
            out.println();   // at a terminal, end the line; in a pipe, print the text alone
        }
        out.flush();
        return 0;
    }
}
