package charrnn.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.BitSet;
import org.apache.commons.io.input.BOMInputStream;

/**
 * What one streaming pass over a UTF-8 text file learns: its size in bytes and code points and its
 * vocabulary. The text itself is never held in memory; {@link WindowStream} reads it again from disk.
 *
 * @param source     where its bytes are read from (a local file, or another store)
 * @param bytes      file size in bytes
 * @param dataStart  byte offset of the first character (3 when the file starts with a UTF-8 BOM, else 0)
 * @param codePoints number of characters (code points) after the BOM
 * @param vocabulary its distinct characters, sorted by code point
 */
public record Corpus(TextSource source, long bytes, long dataStart, long codePoints, Vocabulary vocabulary) {

    /** Reads {@code path} once, checking that it is a non-empty, well-formed UTF-8 text file. */
    public static Corpus scan(Path path) throws IOException {
        requireFile(path);
        try {
            return scan(TextSource.of(path));
        } catch (NoSuchFileException e) {
            throw new CorpusException(path + ": no such file");
        }
    }

    /** Reads {@code source} once, checking that it is non-empty, well-formed UTF-8 text. */
    public static Corpus scan(TextSource source) throws IOException {
        BitSet seen = new BitSet();
        long count = 0;
        long dataStart;
        try (BOMInputStream bomIn = BOMInputStream.builder().setInputStream(source.openAt(0)).get()) {
            dataStart = bomIn.hasBOM() ? bomIn.getBOM().length() : 0;
            try (Utf8Reader reader = new Utf8Reader(bomIn, dataStart)) {
                for (int cp = reader.read(); cp >= 0; cp = reader.read()) {
                    seen.set(cp);
                    count++;
                }
            }
        }
        if (count == 0) {
            throw new CorpusException(source.name() + " is empty");
        }
        return new Corpus(source, source.size(), dataStart, count, Vocabulary.of(seen));
    }

    /**
     * The whole text of {@code path}, read as a corpus is (a UTF-8 BOM skipped, anything but well-formed
     * UTF-8 refused, an empty file refused), for a start text; errors name the file.
     */
    public static String readText(Path path) throws IOException {
        requireFile(path);
        StringBuilder text = new StringBuilder();
        try (BOMInputStream bomIn = BOMInputStream.builder().setInputStream(java.nio.file.Files.newInputStream(path))
                .get(); Utf8Reader reader = new Utf8Reader(bomIn, bomIn.hasBOM() ? bomIn.getBOM().length() : 0)) {
            for (int cp = reader.read(); cp >= 0; cp = reader.read()) {
                text.appendCodePoint(cp);
            }
        } catch (CorpusException e) {
            throw new CorpusException(path + ": " + e.getMessage());
        }
        if (text.length() == 0) {
            throw new CorpusException(path + " is empty");
        }
        return text.toString();
    }

    /** The source as the user gave it, for messages. */
    public String name() {
        return source.name();
    }

    /** Refuses, without reading it, a path that is a directory, missing, or unreadable. */
    public static void requireFile(Path path) {
        if (Files.isDirectory(path)) {
            throw new CorpusException(path + " is a directory, not a text file");
        }
        if (!Files.exists(path)) {
            throw new CorpusException(path + ": no such file");
        }
        if (!Files.isReadable(path)) {
            throw new CorpusException(path + " is not readable");
        }
    }

    static final int FINGERPRINT_SPAN = 1 << 20;

    /**
     * A cheap identity of the file's content: its size and the SHA-256 of its first and last MiB, as
     * {@code "<bytes>:<hex>"}. Reads at most 2 MiB, however large the file.
     */
    public String fingerprint() throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        long size = source.size();
        digest(0, Math.min(size, FINGERPRINT_SPAN), sha256);
        long tailStart = Math.max(FINGERPRINT_SPAN, size - FINGERPRINT_SPAN);
        digest(tailStart, size - tailStart, sha256);
        return size + ":" + HexFormat.of().formatHex(sha256.digest());
    }

    private void digest(long from, long length, MessageDigest digest) throws IOException {
        if (length <= 0) {
            return;
        }
        try (InputStream in = source.openAt(from)) {
            byte[] bytes = in.readNBytes((int) length);
            if (bytes.length < length) {
                throw new IOException(source.name() + " became shorter while reading");
            }
            digest.update(bytes);
        }
    }

    /** Byte offset of the character at {@code index} (a streaming pass up to it), or the file size at the end. */
    public long byteOffsetOf(long index) throws IOException {
        try (Utf8Reader reader = new Utf8Reader(openAt(dataStart), dataStart)) {
            for (long i = 0; i < index; i++) {
                if (reader.read() < 0) {
                    break;
                }
            }
            return reader.offset();
        }
    }

    /** Byte offsets of the characters at ascending {@code indices}, in one streaming pass. */
    public long[] byteOffsetsOf(long[] indices) throws IOException {
        long[] offsets = new long[indices.length];
        try (Utf8Reader reader = new Utf8Reader(openAt(dataStart), dataStart)) {
            long i = 0;
            for (int j = 0; j < indices.length; j++) {
                for (; i < indices[j]; i++) {
                    if (reader.read() < 0) {
                        break;
                    }
                }
                offsets[j] = reader.offset();
            }
        }
        return offsets;
    }

    /** Reads the characters from a byte offset on. */
    public Utf8Reader readerAt(long byteOffset) throws IOException {
        return new Utf8Reader(openAt(byteOffset), byteOffset);
    }

    /** Opens the text at a byte offset. */
    InputStream openAt(long byteOffset) throws IOException {
        return source.openAt(byteOffset);
    }

    /** Fails with a message naming the file when it is too short to train windows of {@code seqLength}. */
    public void requireWindow(int seqLength) {
        if (codePoints < (long) seqLength + 1) {
            throw new CorpusException(String.format(
                    "%s has %d characters; --seq-length %d needs at least %d",
                    name(), codePoints, seqLength, seqLength + 1L));
        }
    }
}
