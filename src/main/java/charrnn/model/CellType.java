package charrnn.model;

import charrnn.util.Names;
import java.util.Locale;

/**
 * The recurrent cell of every layer, with PyTorch's equations and gate order (x = the layer's input,
 * h = its previous hidden state):
 * <ul>
 *   <li>rnn (min-char-rnn): {@code h' = tanh(Wx x + Wh h + b)};</li>
 *   <li>lstm, gates stacked in rows [i; f; g; o]: {@code z = Wx x + Wh h + b}; i, f, o = σ(z_i, z_f, z_o),
 *       g = tanh(z_g); {@code c' = f ⊙ c + i ⊙ g}; {@code h' = o ⊙ tanh(c')};</li>
 *   <li>gru, rows [r; z; n]: {@code a = Wx x + b}, {@code u = Wh h}; r = σ(a_r + u_r), z = σ(a_z + u_z),
 *       {@code n = tanh(a_n + r ⊙ (u_n + bn))}; {@code h' = (1 − z) ⊙ n + z ⊙ h}.</li>
 * </ul>
 */
public enum CellType {
    RNN(1), LSTM(4), GRU(3);

    /** How many blocks of H rows Wx, Wh and b have. */
    public final int gates;

    CellType(int gates) {
        this.gates = gates;
    }

    /** The cell of that name ("rnn", "lstm", "gru"), or null. */
    public static CellType parse(String name) {
        return Names.parse(CellType.class, name);
    }

    /** "rnn", "lstm" or "gru", as {@code --cell} and meta.json spell it. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
