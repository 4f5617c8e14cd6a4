package charrnn.cli;

import charrnn.api.Training;
import charrnn.ui.UiServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "ui",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Serve a live page of a run folder: the training and held-out loss against iterations or minutes, "
                    + "the samples, speed and elapsed time, the model, and a box that generates text from a "
                    + "checkpoint. It reads only the folder's metrics.csv, samples.txt and checkpoints, so it "
                    + "follows a run in another process, a finished run, a resumed one and a new one.",
            "Runs until Ctrl-C. `charrnn train --ui` serves the same page from the training process."},
        footer = {"", "Examples:",
                "  charrnn ui",
                "  charrnn ui runs/moby --port 9001"})
final class UiCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 9000;

    @ParentCommand
    Main parent;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = Training.DEFAULT_CHECKPOINT_DIR,
            description = "The run folder (default: ${DEFAULT-VALUE}); it may not exist yet.")
    Path dir;

    @Option(names = "--port", paramLabel = "P", defaultValue = "" + DEFAULT_PORT,
            description = "The port to serve on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--ui-host", paramLabel = "HOST", defaultValue = UiPage.LOOPBACK,
            description = "The address to listen on. The page has no login: anything other than the default "
                    + "lets whoever reaches it see the run and generate from it (default: ${DEFAULT-VALUE}).")
    String host;

    @Override
    public Integer call() throws Exception {
        try (UiServer ui = UiPage.start(dir, host, port, parent.err())) {
            parent.out().println("serving the page of " + dir + " at " + ui.address() + " (Ctrl-C to stop)");
            parent.out().flush();
            new CountDownLatch(1).await();   // until Ctrl-C ends the JVM
        }
        return 0;
    }
}
