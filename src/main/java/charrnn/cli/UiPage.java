package charrnn.cli;

import charrnn.ui.UiServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** Starting the live page from the command line: the port's check and the warning for a non-loopback host. */
final class UiPage {
    static final String LOOPBACK = "127.0.0.1";

    private UiPage() {
    }

    static UiServer start(Path dir, String host, int port, PrintStream err) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0 to 65535, got " + port);
        }
        UiServer ui;
        try {
            ui = UiServer.start(dir, host, port);
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage() + " (choose another with --port, or 0 for any free one)");
        } catch (java.net.UnknownHostException | java.nio.channels.UnresolvedAddressException e) {
            throw new IllegalArgumentException("--ui-host " + host + " is not an address of this machine");
        }
        if (!host.equals(LOOPBACK) && !host.equals("localhost") && !host.equals("::1")) {
            err.println("charrnn: warning: the page at " + ui.address() + " has no login: whoever can reach it "
                    + "sees the run and can generate from its checkpoints");
        }
        return ui;
    }
}
