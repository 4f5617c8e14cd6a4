package charrnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.testing.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nothing Linux-only on a path macOS and Windows take: no main source of charrnn (or of charrnn-spark) reads
 * Linux's pseudo-files, handles signals through the JDK's internal API, starts a Unix shell or names a Unix
 * path. Ctrl-C saves through a shutdown hook, which Java runs on every OS; memory comes from the
 * OperatingSystemMXBean. (The tests themselves may read /proc where it is readable.)
 */
class PortableSourcesTest {
    /** Each Linux-only use, with why it is one. */
    static final String[][] LINUX_ONLY = {
        {"\"/proc/|\"/sys/|\"/dev/", "a Linux pseudo-file (no /proc on macOS or Windows)"},
        {"sun\\.misc\\.Signal|jdk\\.internal\\.misc\\.Signal", "the JDK's internal signal API (names differ by OS)"},
        {"\"(/bin/)?(ba)?sh\"", "a Unix shell"},
        {"\"/(usr|etc|tmp|var|home)/", "a Unix path"},
    };

    @Test
    void noMainSourceUsesWhatOnlyLinuxHas() throws IOException {
        List<String> found = new ArrayList<>();
        for (String root : List.of("src/main/java", "spark/src/main/java")) {
            Path dir = Repository.file(root);
            if (root.startsWith("spark") && !Files.isDirectory(dir)) {
                continue;   // (a checkout without spark/ has only the first)
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                    for (int i = 0; i < lines.size(); i++) {
                        for (String[] rule : LINUX_ONLY) {
                            if (Pattern.compile(rule[0]).matcher(lines.get(i)).find()) {
                                found.add(dir.relativize(f) + ":" + (i + 1) + ": " + rule[1] + ": " + lines.get(i).strip());
                            }
                        }
                    }
                }
            }
        }
        assertTrue(found.isEmpty(), String.join("\n", found));
    }

    /** The rules find what they are for (so that the test above can fail). */
    @Test
    void theRulesCatchWhatTheyAreFor() {
        String[] bad = {"Files.readString(Path.of(\"/proc/self/status\"))", "sun.misc.Signal.handle(s, h);",
            "new ProcessBuilder(\"sh\", \"-c\", cmd)", "Path.of(\"/tmp/x\")"};
        for (int r = 0; r < LINUX_ONLY.length; r++) {
            assertTrue(Pattern.compile(LINUX_ONLY[r][0]).matcher(bad[r]).find(), LINUX_ONLY[r][1] + " in " + bad[r]);
        }
    }
}
