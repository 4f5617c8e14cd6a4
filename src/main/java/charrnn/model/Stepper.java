package charrnn.model;

/** A model read one character at a time, on a state of its own (sampling and generate). */
public interface Stepper {
    /** Feeds vocabulary index {@code input} through the model: its state moves on, {@code logits} (length V) are y. */
    void step(int input, double[] logits);

    int vocabSize();
}
