package charrnn.model;

/** What every network holds: its parameters and their model, and the window it runs, B streams of T steps. */
abstract class NetworkBase implements Network {
    final ModelSpec spec;
    final ParamSet params;
    final int L;   // layers
    final int H;   // hidden size
    final int V;   // vocabulary size
    final int B;   // streams
    final int T;   // window length

    NetworkBase(ParamSet params, int batchSize, int seqLength) {
        this.spec = params.spec();
        this.params = params;
        this.L = spec.layers();
        this.H = spec.hiddenSize();
        this.V = spec.vocabSize();
        this.B = batchSize;
        this.T = seqLength;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public ParamSet params() {
        return params;
    }

    @Override
    public int batchSize() {
        return B;
    }

    @Override
    public int seqLength() {
        return T;
    }
}
