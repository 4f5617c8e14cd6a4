package charrnn.examples;

/** A data file of an example that cannot be used (missing, malformed); its message is one line for the user. */
public final class DataException extends Exception {
    public DataException(String message) {
        super(message);
    }
}
