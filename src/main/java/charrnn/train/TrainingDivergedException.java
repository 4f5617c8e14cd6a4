package charrnn.train;

/** The loss became NaN or infinite; training cannot go on. */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
