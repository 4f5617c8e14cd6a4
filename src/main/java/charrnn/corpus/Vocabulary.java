package charrnn.corpus;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The distinct code points of a corpus, sorted by code point, so that the index of a character is the
 * same in every run and every checkpoint (min-char-rnn's {@code set()} order is not stable).
 */
public final class Vocabulary {
    private final int[] codePoints;   // ascending
    private final int[] indexOf;      // code point -> index, -1 where absent; length max code point + 1

    public Vocabulary(int[] sortedCodePoints) {
        if (sortedCodePoints.length == 0) {
            throw new IllegalArgumentException("a vocabulary needs at least one character");
        }
        for (int i = 0; i < sortedCodePoints.length; i++) {
            int cp = sortedCodePoints[i];
            if (cp < 0 || cp > Character.MAX_CODE_POINT) {
                throw new IllegalArgumentException("not a code point: " + cp);
            }
            if (i > 0 && cp <= sortedCodePoints[i - 1]) {
                throw new IllegalArgumentException("vocabulary must be sorted by code point, without repeats");
            }
        }
        this.codePoints = sortedCodePoints.clone();
        this.indexOf = new int[codePoints[codePoints.length - 1] + 1];
        Arrays.fill(indexOf, -1);
        for (int i = 0; i < codePoints.length; i++) {
            indexOf[codePoints[i]] = i;
        }
    }

    static Vocabulary of(BitSet seen) {
        return new Vocabulary(seen.stream().toArray());
    }

    public int size() {
        return codePoints.length;
    }

    /** Index of {@code codePoint}, or -1 when it is not in the vocabulary. */
    public int indexOf(int codePoint) {
        return codePoint >= 0 && codePoint < indexOf.length ? indexOf[codePoint] : -1;
    }

    public int codePoint(int index) {
        return codePoints[index];
    }

    public int[] codePoints() {
        return codePoints.clone();
    }

    /** The first code point of {@code other} that this vocabulary lacks, or -1 when it has them all. */
    public int firstMissing(Vocabulary other) {
        for (int cp : other.codePoints) {
            if (indexOf(cp) < 0) {
                return cp;
            }
        }
        return -1;
    }

    /** The characters of both, sorted by code point. */
    public static Vocabulary union(Vocabulary a, Vocabulary b) {
        BitSet all = new BitSet();
        for (int cp : a.codePoints) {
            all.set(cp);
        }
        for (int cp : b.codePoints) {
            all.set(cp);
        }
        return of(all);
    }

    /** The first {@code most} characters of {@code other} that this vocabulary lacks, described, then "…" if more. */
    public String describeMissing(Vocabulary other, int most) {
        StringBuilder s = new StringBuilder();
        int n = 0;
        for (int cp : other.codePoints) {
            if (indexOf(cp) < 0) {
                if (n++ == most) {
                    return s.append(", …").toString();
                }
                s.append(n > 1 ? ", " : "").append(describe(cp));
            }
        }
        return s.toString();
    }

    /** A character for messages: itself in quotes and its code point, e.g. 'é' (U+00E9). */
    public static String describe(int codePoint) {
        String shown = Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                ? "" : "'" + Character.toString(codePoint) + "' ";
        return String.format("%s(U+%04X)", shown, codePoint);
    }

    /** Each entry as a one-code-point string, in index order. */
    public List<String> asStrings() {
        return Arrays.stream(codePoints).mapToObj(Character::toString).toList();
    }

    /** The vocabulary of one-code-point strings, as a checkpoint stores it. */
    public static Vocabulary ofStrings(List<String> entries) {
        return new Vocabulary(entries.stream().mapToInt(s -> s.codePointAt(0)).toArray());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && Arrays.equals(codePoints, v.codePoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codePoints);
    }

    /** The text of a sequence of indices. */
    public String decode(int[] indices) {
        StringBuilder sb = new StringBuilder(indices.length);
        for (int ix : indices) {
            sb.appendCodePoint(codePoints[ix]);
        }
        return sb.toString();
    }
}
