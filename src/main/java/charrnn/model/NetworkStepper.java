package charrnn.model;

/**
 * A model read one character at a time: a {@link Network} with one stream and
 * windows of one step, so sampling runs the training equations themselves, never a second copy of them.
 */
public final class NetworkStepper implements Stepper, AutoCloseable {
    private final Network network;
    private final StreamState state;      // (1, H) per layer

    public NetworkStepper(Engine engine, ParamSet params, int threads) {
        this.network = Network.create(engine, params, 1, 1, 0, threads);
        this.state = StreamState.zeros(params.spec(), 1);
    }

    /** The state := stream {@code stream} of {@code from}. */
    public void setState(StreamState from, int stream) {
        state.copyStream(from, stream, 0);
    }

    /** The state back to zero. */
    public void reset() {
        state.reset();
    }

    @Override
    public void step(int input, double[] logits) {
        network.step(input, state, logits);
    }

    @Override
    public int vocabSize() {
        return network.spec().vocabSize();
    }

    /** Stops the network's worker thread, if it has one. */
    @Override
    public void close() {
        network.close();
    }
}
