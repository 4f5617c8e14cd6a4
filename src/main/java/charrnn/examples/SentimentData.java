package charrnn.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The sentiment example's phrases: TSV lines {@code text<TAB>label} (UTF-8; blank lines skipped). The
 * classes are the distinct training labels, sorted; the vocabulary is the sorted set of the training
 * texts' words (split on spaces). Test phrases must use only those words and labels.
 */
public final class SentimentData {
    /** A phrase as word indices and its class index. */
    public record Example(String text, int[] words, int label) {
    }

    /** One line of a file: the phrase's words and its label, with where it came from for messages. */
    private record Line(String source, int number, String text, String[] words, String label) {
    }

    public final List<String> vocabulary;
    public final List<String> classes;
    public final List<Example> train;
    public final List<Example> test;

    private SentimentData(List<String> vocabulary, List<String> classes, List<Example> train, List<Example> test) {
        this.vocabulary = vocabulary;
        this.classes = classes;
        this.train = train;
        this.test = test;
    }

    /** The phrases of two files. */
    public static SentimentData read(Path trainFile, Path testFile) throws DataException {
        return of(lines(trainFile), lines(testFile));
    }

    /** The default phrases shipped with charrnn (see examples/README.md). */
    public static SentimentData defaults() throws DataException {
        return of(resource("sentiment-train.tsv"), resource("sentiment-test.tsv"));
    }

    private static SentimentData of(List<Line> trainLines, List<Line> testLines) throws DataException {
        if (trainLines.isEmpty()) {
            throw new DataException("the training data has no phrases");
        }
        if (testLines.isEmpty()) {
            throw new DataException("the test data has no phrases");
        }
        TreeSet<String> words = new TreeSet<>();
        TreeSet<String> labels = new TreeSet<>();
        for (Line line : trainLines) {
            words.addAll(Arrays.asList(line.words()));
            labels.add(line.label());
        }
        if (labels.size() < 2) {
            throw new DataException("the training data has one class only (" + labels.first()
                    + "); a classifier needs two or more");
        }
        List<String> vocabulary = List.copyOf(words);
        List<String> classes = List.copyOf(labels);
        Map<String, Integer> wordIndex = index(vocabulary);
        Map<String, Integer> classIndex = index(classes);
        return new SentimentData(vocabulary, classes, examples(trainLines, wordIndex, classIndex),
                examples(testLines, wordIndex, classIndex));
    }

    private static Map<String, Integer> index(List<String> sorted) {
        Map<String, Integer> index = new TreeMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            index.put(sorted.get(i), i);
        }
        return index;
    }

    private static List<Example> examples(List<Line> lines, Map<String, Integer> wordIndex,
                                          Map<String, Integer> classIndex) throws DataException {
        List<Example> examples = new ArrayList<>();
        for (Line line : lines) {
            int[] words = new int[line.words().length];
            for (int t = 0; t < words.length; t++) {
                Integer w = wordIndex.get(line.words()[t]);
                if (w == null) {
                    throw new DataException(line.source() + " line " + line.number() + ": the word '"
                            + line.words()[t] + "' does not occur in the training phrases");
                }
                words[t] = w;
            }
            Integer label = classIndex.get(line.label());
            if (label == null) {
                throw new DataException(line.source() + " line " + line.number() + ": the label '" + line.label()
                        + "' is not one of the training labels " + classIndex.keySet());
            }
            examples.add(new Example(line.text(), words, label));
        }
        return List.copyOf(examples);
    }

    private static List<Line> lines(Path file) throws DataException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    private static List<Line> resource(String name) throws DataException {
        try (InputStream in = SentimentData.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the default sentiment data is missing from the jar: " + name);
            }
            return parse(in, name);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the default sentiment data " + name, e);
        }
    }

    private static List<Line> parse(InputStream in, String source) throws IOException, DataException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<Line> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, decoder))) {
            String raw;
            int number = 0;
            while ((raw = reader.readLine()) != null) {
                number++;
                if (raw.isBlank()) {
                    continue;
                }
                int tab = raw.lastIndexOf('\t');
                if (tab < 0) {
                    throw new DataException(source + " line " + number + ": expected TEXT<TAB>LABEL, found no tab");
                }
                String text = raw.substring(0, tab).strip();
                String label = raw.substring(tab + 1).strip();
                if (text.isEmpty()) {
                    throw new DataException(source + " line " + number + ": the phrase is empty");
                }
                if (label.isEmpty()) {
                    throw new DataException(source + " line " + number + ": the label is empty");
                }
                lines.add(new Line(source, number, text, text.split(" +"), label));
            }
        } catch (CharacterCodingException e) {
            throw new DataException(source + ": not UTF-8 text");
        }
        return lines;
    }
}
