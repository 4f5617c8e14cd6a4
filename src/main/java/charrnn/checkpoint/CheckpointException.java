package charrnn.checkpoint;

/** A checkpoint that cannot be used; the message is one line, ready to show the user. */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }
}
