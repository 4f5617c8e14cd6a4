package charrnn.compress;

import charrnn.checkpoint.Checkpoint;
import charrnn.checkpoint.CheckpointFile;
import charrnn.corpus.Vocabulary;
import charrnn.model.CellType;
import charrnn.model.ModelSpec;
import charrnn.model.ParamSet;
import charrnn.numeric.IeeeMath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained checkpoint's prediction of the next byte, one more model of the {@link ContextMixer}
 * ({@code charrnn compress --model}). The checkpoint predicts characters; a character is the bytes of its
 * UTF-8 encoding, so the probability of the next byte b after the bytes π of a character begun is the mass
 * of the characters whose encoding starts with π·b over that of those starting with π, with a floor of
 * {@link #FLOOR} of that mass for every byte (bytes the checkpoint never saw, and files that are not its
 * kind of text). When a character is complete and in the checkpoint's vocabulary the network takes it as
 * its next input; any other byte sequence (a character it does not know, bytes that are not UTF-8) leaves its
 * state as it is.
 *
 * <p>The checkpoint's cell (rnn, lstm, gru), layers and embedding are recomputed here in float32 with the
 * products and functions of {@link Lanes} and {@link IeeeMath}, in a fixed order, so that the encoder and the
 * decoder compute the same bits on any CPU (ND4J's products would not). It does not learn while it codes: the
 * online network and the mixer's weights adapt around it (a decoder that learned by SGD on every character,
 * learning rate 0.001 to 0.01, made the files of docs/compress.md 0.1 to 2.9 % larger). Each stream starts
 * from zero state, having read a newline when the vocabulary has one.
 */
final class TrainedModel {
    /**
     * Every byte's floor, relative to the mass of the characters that could still follow: measured on
     * tinyshakespeare's last 115,394 bytes with a model of its first 1,000,000, 1/256 to 1/16,777,216 gain
     * up to 3 % and tighter is better; on 115,000 bytes of a binary, tighter costs up to 2 % (docs/compress.md).
     */
    static final float FLOOR = 1f / 65536;

    final byte[] sha256;
    private final CellType cell;
    private final int layers;
    private final int H;
    private final int V;
    private final int E;         // 0: layer 0 reads the one-hot character
    private final int G;         // gates per unit
    private final float[] emb;   // (V, E) or null
    private final float[][] WxT; // [k] (in, G·H): Wx transposed, rows of inputs
    private final float[][] WhT; // [k] (H, G·H)
    private final float[][] b;   // [k] (G·H)
    private final float[][] bn;  // [k] (H), gru only
    private final float[] WhyT;  // (H, V)
    private final float[] by;    // (V)
    private final Vocabulary vocabulary;
    private final byte[][] utf8; // [c] the UTF-8 bytes of character c

    private final float[][][] h; // [s][k] (H) each stream's hidden state
    private final float[][][] c; // [s][k] (H) lstm's cell state
    private final float[][] p;   // [s] (V) the next character's probabilities
    private final byte[][] begun;  // [s] the bytes of the character begun
    private final int[] have;    // [s] how many of them
    private final int[] need;    // [s] how many it has in all (0: none begun)

    private final float[] z;     // (G·H) the gates' pre-activations (gru: a)
    private final float[] u;     // (G·H) gru: Wh h
    private final float[] next;  // (H) the new hidden state
    private final float[] mass = new float[ContextMixer.V];

    private TrainedModel(Checkpoint checkpoint, byte[] sha256, int streams) {
        this.sha256 = sha256;
        ModelSpec spec = checkpoint.spec();
        ParamSet params = checkpoint.params();
        cell = spec.cell();
        layers = spec.layers();
        H = spec.hiddenSize();
        V = spec.vocabSize();
        E = spec.embeddingSize();
        G = cell.gates;
        emb = E > 0 ? flat(params.get(ModelSpec.EMB), false) : null;
        WxT = new float[layers][];
        WhT = new float[layers][];
        b = new float[layers][];
        bn = new float[layers][];
        for (int k = 0; k < layers; k++) {
            WxT[k] = flat(params.get(ModelSpec.wx(k)), true);
            WhT[k] = flat(params.get(ModelSpec.wh(k)), true);
            b[k] = flat(params.get(ModelSpec.b(k)), false);
            bn[k] = cell == CellType.GRU ? flat(params.get(ModelSpec.bn(k)), false) : null;
        }
        WhyT = flat(params.get(ModelSpec.WHY), true);
        by = flat(params.get(ModelSpec.BY), false);
        vocabulary = Vocabulary.ofStrings(checkpoint.meta().vocab());
        utf8 = new byte[V][];
        for (int i = 0; i < V; i++) {
            utf8[i] = Character.toString(vocabulary.codePoint(i)).getBytes(StandardCharsets.UTF_8);
        }
        h = new float[streams][layers][H];
        c = new float[streams][layers][H];
        p = new float[streams][V];
        begun = new byte[streams][4];
        have = new int[streams];
        need = new int[streams];
        z = new float[G * H];
        u = new float[G * H];
        next = new float[H];
        int newline = vocabulary.indexOf('\n');
        for (int s = 0; s < streams; s++) {
            if (newline >= 0) {
                step(s, newline);
            } else {
                Arrays.fill(p[s], 1f / V);
            }
        }
    }

    /**
     * The checkpoint {@code file} (a charrnn checkpoint of any cell) for {@code streams} streams, with its
     * SHA-256.
     *
     * @throws IOException the file cannot be read or is not a checkpoint (one-line message)
     */
    static TrainedModel load(Path file, int streams) throws IOException {
        byte[] digest = sha256(file);
        Checkpoint checkpoint = CheckpointFile.read(file);
        long floats = 0;
        for (String name : checkpoint.spec().paramNames()) {
            floats += checkpoint.params().get(name).length();
        }
        if (floats > Crnn.MAX_FLOATS) {
            throw new IOException(file + " has " + floats + " parameters, more than compress codes with (at most "
                    + Crnn.MAX_FLOATS + ")");
        }
        return new TrainedModel(checkpoint, digest, streams);
    }

    /** SHA-256 of a file's bytes. */
    static byte[] sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r = in.read(buffer); r >= 0; r = in.read(buffer)) {
                digest.update(buffer, 0, r);
            }
        }
        return digest.digest();
    }

    /** A matrix (out, in) as float32 rows, transposed to (in, out) when asked; a vector as its floats. */
    private static float[] flat(INDArray a, boolean transposed) {
        float[][] rows = a.castTo(DataType.FLOAT).toFloatMatrix();
        int out = rows.length;
        int in = rows[0].length;
        float[] f = new float[out * in];
        for (int r = 0; r < out; r++) {
            for (int i = 0; i < in; i++) {
                f[transposed ? i * out + r : r * in + i] = rows[r][i];
            }
        }
        return f;
    }

    /** Stream s's network reads character {@code x}: every layer steps, and p[s] becomes the next prediction. */
    private void step(int s, int x) {
        int gh = G * H;
        for (int k = 0; k < layers; k++) {
            float[] hk = h[s][k];
            System.arraycopy(b[k], 0, z, 0, gh);                           // z = b
            if (k > 0) {
                Lanes.gemv(h[s][k - 1], 0, H, WxT[k], 0, gh, z, 0);        // + Wx h_t of the layer below
            } else if (E > 0) {
                Lanes.gemv(emb, x * E, E, WxT[0], 0, gh, z, 0);            // + Wx emb[x]
            } else {
                Lanes.axpy(1f, WxT[0], x * gh, z, 0, gh);                  // + Wx's column x (one-hot x)
            }
            switch (cell) {
                case RNN -> {
                    Lanes.gemv(hk, 0, H, WhT[k], 0, gh, z, 0);             // + Wh h_{t-1}
                    for (int j = 0; j < H; j++) {
                        next[j] = IeeeMath.tanhFloat(z[j]);                 // h_t = tanh(z)
                    }
                }
                case LSTM -> {
                    Lanes.gemv(hk, 0, H, WhT[k], 0, gh, z, 0);             // + Wh h_{t-1}
                    float[] ck = c[s][k];
                    for (int j = 0; j < H; j++) {
                        float i = IeeeMath.sigmoidFloat(z[j]);
                        float f = IeeeMath.sigmoidFloat(z[H + j]);
                        float g = IeeeMath.tanhFloat(z[2 * H + j]);
                        float o = IeeeMath.sigmoidFloat(z[3 * H + j]);
                        ck[j] = f * ck[j] + i * g;                          // c_t = f ⊙ c_{t-1} + i ⊙ g
                        next[j] = o * IeeeMath.tanhFloat(ck[j]);            // h_t = o ⊙ tanh(c_t)
                    }
                }
                case GRU -> {
                    Arrays.fill(u, 0f);
                    Lanes.gemv(hk, 0, H, WhT[k], 0, gh, u, 0);             // u = Wh h_{t-1}
                    for (int j = 0; j < H; j++) {
                        float r = IeeeMath.sigmoidFloat(z[j] + u[j]);
                        float zz = IeeeMath.sigmoidFloat(z[H + j] + u[H + j]);
                        float n = IeeeMath.tanhFloat(z[2 * H + j] + r * (u[2 * H + j] + bn[k][j]));
                        next[j] = n + zz * (hk[j] - n);                     // h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}
                    }
                }
            }
            System.arraycopy(next, 0, hk, 0, H);
        }
        float[] y = p[s];
        System.arraycopy(by, 0, y, 0, V);                                  // y = by + Why h_t
        Lanes.gemv(h[s][layers - 1], 0, H, WhyT, 0, V, y, 0);
        Lanes.softmax(y, y, V);                                            // p = softmax(y)
    }

    /** Stream s's prediction of its next character (V probabilities, in the vocabulary's order), for the tests. */
    float[] characterProbabilities(int s) {
        return p[s];
    }

    /**
     * ln p of stream s's next byte, up to a constant, into {@code into} (256 values): the mass of the
     * characters that go on with that byte after the bytes of the character begun, floored.
     */
    void predict(int s, float[] into) {
        Arrays.fill(mass, 0f);
        int m = have[s];
        float[] ps = p[s];
        byte[] prefix = begun[s];
        for (int x = 0; x < V; x++) {                      // in the vocabulary's order: the same sums everywhere
            byte[] e = utf8[x];
            if (e.length > m && Arrays.equals(e, 0, m, prefix, 0, m)) {
                mass[e[m] & 0xFF] += ps[x];
            }
        }
        float total = 0;
        for (int k = 0; k < mass.length; k++) {
            total += mass[k];
        }
        if (!(total > 0)) {
            Arrays.fill(into, 0f);                         // nothing it knows goes on from here: no opinion
            return;
        }
        float floor = total * FLOOR;
        float lnFloor = (float) StrictMath.log(floor);
        for (int k = 0; k < mass.length; k++) {
            into[k] = mass[k] == 0 ? lnFloor : (float) StrictMath.log(mass[k] + floor);
        }
    }

    /** Byte y came next in stream s: a character completed and known is the network's next input. */
    void update(int s, int y) {
        if (need[s] > 0 && (y & 0xC0) == 0x80) {           // a continuation of the character begun
            begun[s][have[s]++] = (byte) y;
            if (have[s] == need[s]) {
                complete(s);
            }
            return;
        }
        int length = y < 0x80 ? 1 : y >= 0xC2 && y <= 0xDF ? 2 : y >= 0xE0 && y <= 0xEF ? 3
                : y >= 0xF0 && y <= 0xF4 ? 4 : 0;           // 0: a stray continuation or a byte UTF-8 never has
        begun[s][0] = (byte) y;                              // anything else ends what was begun
        have[s] = length > 0 ? 1 : 0;
        need[s] = length;
        if (length == 1) {
            complete(s);
        }
    }

    /**
     * The character begun is complete: the network steps if its bytes are the UTF-8 encoding of a character
     * it knows (bytes that only decode to one, such as an overlong form, do not count).
     */
    private void complete(int s) {
        int n = have[s];
        byte[] b = begun[s];
        have[s] = 0;
        need[s] = 0;
        int cp = n == 1 ? b[0] & 0x7F : b[0] & (0x7F >> n);   // the lead byte's bits, then 6 per continuation
        for (int i = 1; i < n; i++) {
            cp = cp << 6 | (b[i] & 0x3F);
        }
        int x = vocabulary.indexOf(cp);
        if (x >= 0 && Arrays.equals(utf8[x], 0, utf8[x].length, b, 0, n)) {
            step(s, x);
        }
    }
}
