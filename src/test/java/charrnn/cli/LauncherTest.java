package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.testing.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The bash launchers ({@code charrnn}, {@code spark/spark-submit}) keep to what macOS's bash 3.2 runs: no
 * associative arrays, case conversion in expansions, mapfile/readarray, {@code |&}, {@code &>>} or coproc,
 * and no expansion of a possibly empty array that {@code set -u} would call unbound before bash 4.4 (an
 * array's elements are expanded as {@code ${a[@]+"${a[@]}"}}). .ci/run also runs shellcheck on them.
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
}
