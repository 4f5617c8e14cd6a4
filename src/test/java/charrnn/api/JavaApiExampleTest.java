package charrnn.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.testing.Repository;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example project's program (examples/java-api), which docs/java-api.md shows whole: it compiles against this
 * build, runs, and prints what the command line prints for the same model. (.ci/run also builds the
 * example project itself against the artifact `mvn install` puts in the local repository.)
 */
class JavaApiExampleTest {
    static final Path EXAMPLE = Repository.file("examples/java-api/src/main/java/example/Generate.java");

    @TempDir
    Path dir;

    static final Path TRAIN = Repository.file("examples/java-api/src/main/java/example/Train.java");

    @Test
    void readmeShowsTheExampleWhole() throws IOException {
        String example = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
        String readme = Files.readString(Repository.file("docs/java-api.md"), StandardCharsets.UTF_8);
        assertTrue(readme.contains("```java\n" + example + "```\n"), "docs/java-api.md shows " + EXAMPLE);
        assertTrue(readme.contains("```java\n" + Files.readString(TRAIN, StandardCharsets.UTF_8) + "```\n"),
                "docs/java-api.md shows " + TRAIN);
        String pom = Files.readString(Repository.file("examples/java-api/pom.xml"), StandardCharsets.UTF_8);
        String dependency = pom.substring(pom.indexOf("    <dependency>"), pom.indexOf("</dependency>") + 13);
        assertTrue(readme.contains(dependency.strip().replace("\n      ", "\n  ").replace("\n    </", "\n</")),
                "docs/java-api.md shows the example pom's dependency: " + dependency);
    }

    @Test
    void theExampleCompilesRunsAndPrintsWhatTheCommandLinePrints() throws IOException, InterruptedException {
        Path text = Files.writeString(dir.resolve("text.txt"), CharRnnTest.TEXT.replace("It is", "Call me"));
        CharRnnTest.cli("train", text.toString(), "--hidden-size", "16", "--seq-length", "10", "--max-iterations",
                "200", "--sample-every", "0", "--log-every", "0", "--checkpoint-dir", dir.resolve("ck").toString());
        Path checkpoint = dir.resolve("ck").resolve("latest.npz");

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int compiled = javac.run(null, null, null, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), EXAMPLE.toString());
        assertEquals(0, compiled, "the example compiles");

        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), "example.Generate",
                checkpoint.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        String generated = CharRnnTest.cli("generate", checkpoint.toString(), "--start", "Call me ", "--length",
                "200");
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).startsWith("CharRnn[rnn, 1 layer of 16, "), lines.get(0));
        assertTrue(out.contains("\n" + generated + "\n"), "the example prints charrnn generate's text:\n" + out);
        // (the test's text lacks 'I' and 'S': skipped)
        assertTrue(lines.get(lines.size() - 1).matches("\\d+\\.\\d{4} nats/char \\(\\d+\\.\\d{4} bits/char\\) over "
                + "60 characters; 2 outside the vocabulary skipped"), lines.get(lines.size() - 1));

        // the training example: a short run (0.05 minutes) in a folder of its own
        compiled = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                TRAIN.toString());
        assertEquals(0, compiled, "the training example compiles");
        Path work = Files.createDirectories(dir.resolve("work"));
        Process train = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), "example.Train",
                text.toString(), "0.05").directory(work.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String trained = new String(train.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(train.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, train.exitValue(), trained);
        assertTrue(trained.startsWith("iteration 0: held-out loss "), trained);
        assertTrue(trained.strip().matches("(?s).* iterations, saved runs/lstm/iter-\\d{8}\\.npz"), trained);
        assertTrue(Files.exists(work.resolve("runs/lstm/latest.npz")));
    }
}
