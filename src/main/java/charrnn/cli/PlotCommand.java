package charrnn.cli;

import charrnn.api.LossCurves;
import charrnn.api.Training;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "plot",
        mixinStandardHelpOptions = true,
        description = "Draw the loss curves of a run (smoothed training loss and validation loss, in nats per "
                + "character, against iterations) from its metrics.csv into a PNG.",
        footer = {"", "Examples:",
                "  charrnn plot",
                "  charrnn plot runs/big/metrics.csv --output big.png"})
final class PlotCommand implements Callable<Integer> {
    @ParentCommand
    Main parent;

    @Parameters(index = "0", arity = "0..1", paramLabel = "METRICS_CSV", defaultValue = Training.DEFAULT_METRICS,
            description = "The metrics a training run wrote (default: ${DEFAULT-VALUE}).")
    Path metrics;

    @Option(names = "--output", paramLabel = "PNG",
            description = "Where the picture goes (default: loss.png beside METRICS_CSV).")
    Path output;

    @Override
    public Integer call() throws Exception {
        Path png = output != null ? output : metrics.toAbsolutePath().resolveSibling("loss.png");
        LossCurves.draw(metrics, png);
        parent.err().println("charrnn: wrote " + png);
        return 0;
    }
}
