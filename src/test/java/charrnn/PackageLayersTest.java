package charrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages' layers, as docs/architecture.md draws them: a package of src/main refers only to packages
 * below it in {@link #LAYERS} (so there is no cycle). References are imports and qualified names in code
 * (comments and javadoc are not references).
 */
class PackageLayersTest {
    /** Lowest first. */
    static final List<String> LAYERS = List.of("util", "numeric", "corpus", "metrics", "model", "optim",
            "checkpoint", "sample", "examples", "train", "compress", "api", "ui", "cli");

    private static final Pattern REFERENCE = Pattern.compile("\\bcharrnn\\.([a-z]+)\\.[A-Za-z]");

    @Test
    void everyPackageRefersOnlyToPackagesBelowIt() throws IOException {
        Path root = charrnn.testing.Repository.file("src/main/java/charrnn");
        List<String> upward = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.walk(root)) {
            for (Path file : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(file).getName(0).toString();
                assertTrue(LAYERS.contains(pkg), "a package missing from LAYERS and docs/architecture.md: " + pkg);
                files++;
                for (String line : Files.readAllLines(file)) {
                    String code = line.strip();
                    if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                        continue;
                    }
                    Matcher m = REFERENCE.matcher(code);
                    while (m.find()) {
                        String to = m.group(1);
                        if (!to.equals(pkg) && LAYERS.indexOf(to) >= LAYERS.indexOf(pkg)) {
                            upward.add(root.relativize(file) + ": " + pkg + " -> " + to);
                        }
                    }
                }
            }
        }
        assertTrue(files > 50, "read the sources: " + files);
        assertEquals(List.of(), upward, "references to a package on the same layer or above");
    }
}
