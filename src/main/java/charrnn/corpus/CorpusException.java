package charrnn.corpus;

/** A problem with the user's corpus file; the message is one line, ready to show the user. */
public final class CorpusException extends RuntimeException {
    public CorpusException(String message) {
        super(message);
    }
}
