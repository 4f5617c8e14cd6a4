package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.testing.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bash launchers ({@code charrnn}, {@code spark/spark-submit}) keep to what macOS's bash 3.2 runs: no
 * associative arrays, case conversion in expansions, mapfile/readarray, {@code |&}, {@code &>>} or coproc,
 * and no expansion of a possibly empty array that {@code set -u} would call unbound before bash 4.4 (an
 * array's elements are expanded as {@code ${a[@]+"${a[@]}"}}). .ci/run also runs shellcheck on them.
 * The Windows launcher ({@code charrnn.cmd}) builds with the same Maven command and runs Java with the same
 * options, keeps cmd's CRLF line ends, and asks {@link JarUpToDate} whether the jar is stale.
 */
class LauncherTest {
    /** What bash 3.2 lacks, each with why. */
    private static final String[][] BASH4 = {
        {"declare -A", "associative arrays (bash 4)"},
        {"\\$\\{[A-Za-z_][A-Za-z0-9_]*(,,|\\^\\^|,|\\^)\\}", "case conversion in an expansion (bash 4)"},
        {"\\bmapfile\\b|\\breadarray\\b", "mapfile/readarray (bash 4)"},
        {"\\|&", "|& (bash 4)"},
        {"&>>", "&>> (bash 4)"},
        {"\\bcoproc\\b", "coproc (bash 4)"},
        {"(?<!\\+)\"\\$\\{[A-Za-z_][A-Za-z0-9_]*\\[@\\]\\}\"(?!\\})", "an array expanded bare: unbound when empty under "
                + "set -u before bash 4.4 (write ${a[@]+\"${a[@]}\"})"},
    };

    @Test
    void theLaunchersUseNothingBash32Lacks() throws IOException {
        List<String> found = new ArrayList<>();
        for (String launcher : List.of("charrnn", "spark/spark-submit")) {
            List<String> lines = Files.readAllLines(Repository.file(launcher), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String code = lines.get(i).replaceFirst("(^|\\s)#.*$", "");   // (comments may name them)
                for (String[] rule : BASH4) {
                    Matcher m = Pattern.compile(rule[0]).matcher(code);
                    if (m.find()) {
                        found.add(launcher + ":" + (i + 1) + ": " + rule[1] + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertTrue(found.isEmpty(), String.join("\n", found));
    }

    /** The rules find what they are for (so that the test above can fail). */
    @Test
    void theRulesCatchWhatTheyAreFor() {
        String[] bad = {"declare -A seen", "x=${name,,}", "mapfile -t lines < f", "a |& b", "a &>> log", "coproc x",
            "java \"${opts[@]}\" -jar x"};
        for (int r = 0; r < BASH4.length; r++) {
            assertTrue(Pattern.compile(BASH4[r][0]).matcher(bad[r]).find(), BASH4[r][1] + " in " + bad[r]);
        }
        assertTrue(!Pattern.compile(BASH4[6][0]).matcher("java ${opts[@]+\"${opts[@]}\"} -jar x").find(),
                "the guarded form passes");
    }

    /** The java command's options before -jar, and the mvn command, of a launcher's text. */
    private static List<String> javaOptions(String launcher) {
        String joined = launcher.replaceAll("\\\\\\R\\s*", " ");   // (bash's continued lines as one)
        Matcher m = Pattern.compile("(?m)^\\s*java (-Xmx.*?) -jar ").matcher(joined);
        assertTrue(m.find(), "a java ... -jar line");
        return List.of(m.group(1).replaceAll("\\$\\{profile\\[@\\]\\+\"\\$\\{profile\\[@\\]\\}\"\\}|%PROFILE%", "PROFILE")
                .replaceAll("\\$\\{CHARRNN_JAVA_OPTS:-\\}|%CHARRNN_JAVA_OPTS%", "CHARRNN_JAVA_OPTS")
                .replaceAll("\"\\$here\"|\"%HERE%\"", "HOME").split("\\s+"));
    }

    private static String mavenCommand(String launcher) {
        Matcher m = Pattern.compile("mvn (-q -B [^|\\r\\n]*?) package").matcher(launcher);
        assertTrue(m.find(), "an mvn ... package command");
        return m.group(1);
    }

    @Test
    void theWindowsLauncherRunsJavaAndMavenAsTheBashOneDoes() throws IOException {
        String bash = Files.readString(Repository.file("charrnn"), StandardCharsets.UTF_8);
        String cmd = Files.readString(Repository.file("charrnn.cmd"), StandardCharsets.UTF_8);
        assertEquals(javaOptions(bash), javaOptions(cmd));
        assertEquals(List.of("-Xmx256m", "--add-modules", "jdk.incubator.vector", "PROFILE", "CHARRNN_JAVA_OPTS",
                "-Dcharrnn.home=HOME"), javaOptions(cmd));
        assertEquals(mavenCommand(bash), mavenCommand(cmd));
        assertTrue(cmd.contains("charrnn.cli.JarUpToDate \"%HERE%\" 2>nul\r\nif not errorlevel 1 goto run"),
                "asks the jar whether it is stale, and reads the answer from errorlevel (Wine's cmd follows && "
                + "after a program that failed)");
        assertFalse(cmd.contains("&&"), "no && (see above)");
        assertTrue(cmd.contains("-jar \"%JAR%\" %*"), "hands every argument on");
    }

    @Test
    void theWindowsLauncherKeepsCmdsLineEnds() throws IOException {
        String cmd = Files.readString(Repository.file("charrnn.cmd"), StandardCharsets.UTF_8);
        assertTrue(cmd.endsWith("\r\n"), "ends with CRLF");
        assertEquals(cmd.split("\n", -1).length, cmd.split("\r\n", -1).length,
                "every line ends with CRLF (cmd misreads labels in a file with bare LFs)");
        assertTrue(Files.readString(Repository.file(".gitattributes")).lines()
                .anyMatch(l -> l.equals("charrnn.cmd text eol=crlf")), ".gitattributes checks it out with CRLF");
    }

    @Test
    void theJarIsStaleWhenMissingOrOlderThanPomOrASource(@TempDir Path home) throws IOException {
        Path jar = home.resolve("target/charrnn.jar");
        Path pom = home.resolve("pom.xml");
        Path source = home.resolve("src/main/java/charrnn/X.java");
        Files.createDirectories(source.getParent());
        Files.writeString(pom, "<project/>");
        Files.writeString(source, "class X {}");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (Path p : List.of(pom, source, source.getParent(), home.resolve("src/main/java"), home.resolve("src/main"))) {
            Files.setLastModifiedTime(p, FileTime.from(t));
        }
        assertFalse(JarUpToDate.upToDate(home), "no jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");
        Files.setLastModifiedTime(jar, FileTime.from(t.plusSeconds(60)));
        assertTrue(JarUpToDate.upToDate(home), "built after every source");
        Files.setLastModifiedTime(source, FileTime.from(t.plusSeconds(120)));
        assertFalse(JarUpToDate.upToDate(home), "a source changed after");
        Files.setLastModifiedTime(source, FileTime.from(t));
        Files.setLastModifiedTime(pom, FileTime.from(t.plusSeconds(120)));
        assertFalse(JarUpToDate.upToDate(home), "pom.xml changed after");
        Files.setLastModifiedTime(pom, FileTime.from(t));
        Files.setLastModifiedTime(source.getParent(), FileTime.from(t.plusSeconds(120)));
        assertFalse(JarUpToDate.upToDate(home), "a file added or removed in src/main");
    }
}
