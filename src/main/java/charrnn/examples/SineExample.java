package charrnn.examples;

import charrnn.util.AtomicFile;
import charrnn.util.Rng;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The sine tutorial's data and training: sin(0), sin(1), …, sin(199); windows of 50 values predict the
 * 51st, the first 100 windows for training and the last 50 for validation. Every epoch prints the summed
 * loss (y − ŷ)²/2 of the training and the validation windows with the current weights, then trains on
 * each training window in order: forward, gradients truncated to 5 steps back, every entry clipped to
 * [−10, 10], a gradient-descent step of 1e-4. That is the faithful version ({@link #run} with
 * {@code faithful}); the default trains {@link SineRnn#learning}, the same shape made to learn, with exact
 * backpropagation through the window and a step of {@link #LEARNING_RATE_TANH}.
 */
public final class SineExample {
    public static final int POINTS = 200;
    public static final int T = 50;
    public static final int VALIDATION = 50;
    public static final int HIDDEN_SIZE = 100;
    public static final int TRUNCATE = 5;
    public static final double CLIP = 10;
    public static final double LEARNING_RATE = 1e-4;
    public static final int EPOCHS = 25;
    /** The learning version's step: its gradients are smaller (tanh' ≤ 1, small weights), its steps larger. */
    public static final double LEARNING_RATE_TANH = 0.01;

    /** A network the example trains: a prediction for a window, and one step on its error. */
    interface Net {
        double predict(double[] x);

        void step(double y, double yHat);
    }

    private static Net tutorial(SineRnn rnn) {
        return new Net() {
            public double predict(double[] x) {
                return rnn.predict(x);
            }

            public void step(double y, double yHat) {
                rnn.sgd(rnn.backward(y, yHat, TRUNCATE).clip(CLIP), LEARNING_RATE);
            }
        };
    }

    private static Net learning(SineRnn rnn) {
        return new Net() {
            public double predict(double[] x) {
                return rnn.predict(x);
            }

            public void step(double y, double yHat) {
                rnn.sgd(rnn.backward(y, yHat, T - 1).clip(CLIP), LEARNING_RATE_TANH);   // the whole window
            }
        };
    }

    /** Training windows X (with targets Y) and validation windows. */
    public record Data(double[][] x, double[] y, double[][] xVal, double[] yVal) {
    }

    /** The summed losses printed after {@code epoch} − 1 epochs of training (the tutorial's order). */
    public record EpochLoss(int epoch, double train, double validation) {
    }

    /** The losses of every epoch, the predictions after training and the validation RMSE. */
    public record Result(List<EpochLoss> losses, double[] trainPredictions, double[] validationPredictions,
                         double rmse) {
    }

    private SineExample() {
    }

    /** The tutorial's windows of sin(0 … 199). */
    public static Data data() {
        double[] wave = new double[POINTS];
        for (int k = 0; k < POINTS; k++) {
            wave[k] = StrictMath.sin(k);
        }
        int records = POINTS - T;                   // 150 windows
        int trainRecords = records - VALIDATION;    // the first 100 train
        double[][] x = new double[trainRecords][];
        double[] y = new double[trainRecords];
        double[][] xVal = new double[VALIDATION][];
        double[] yVal = new double[VALIDATION];
        for (int i = 0; i < records; i++) {
            double[] window = java.util.Arrays.copyOfRange(wave, i, i + T);
            if (i < trainRecords) {
                x[i] = window;
                y[i] = wave[i + T];
            } else {
                xVal[i - trainRecords] = window;
                yVal[i - trainRecords] = wave[i + T];
            }
        }
        return new Data(x, y, xVal, yVal);
    }

    /** The tutorial's network (uniform(0, 1) weights from the seed), trained and plotted (png null: no plot). */
    public static Result run(int epochs, long seed, Path png, PrintStream out) throws IOException {
        return run(epochs, seed, png, out, true);
    }

    /**
     * A new network from the seed, trained and plotted into {@code png} (null: no plot): the tutorial's
     * ({@code faithful}), or {@link SineRnn#learning}, the same shape that learns the wave.
     */
    public static Result run(int epochs, long seed, Path png, PrintStream out, boolean faithful) throws IOException {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        Data data = data();
        Net rnn = faithful ? tutorial(SineRnn.random(HIDDEN_SIZE, T, new Rng(seed)))
                : learning(SineRnn.learning(HIDDEN_SIZE, T, new Rng(seed)));
        List<EpochLoss> losses = train(rnn, data, epochs, out);
        double[] trainPredictions = predictions(rnn, data.x());
        double[] validationPredictions = predictions(rnn, data.xVal());
        double squares = 0;
        for (int i = 0; i < VALIDATION; i++) {
            double e = data.yVal()[i] - validationPredictions[i];
            squares += e * e;
        }
        double rmse = Math.sqrt(squares / VALIDATION);
        out.printf("validation RMSE: %.6f%n", rmse);
        if (png != null) {
            plot(data, trainPredictions, validationPredictions, png, faithful);
        }
        return new Result(losses, trainPredictions, validationPredictions, rmse);
    }

    /** The tutorial's epochs: losses with the current weights, printed, then one pass of training. */
    public static List<EpochLoss> train(SineRnn rnn, Data data, int epochs, PrintStream out) {
        return train(tutorial(rnn), data, epochs, out);
    }

    static List<EpochLoss> train(Net rnn, Data data, int epochs, PrintStream out) {
        List<EpochLoss> losses = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            EpochLoss loss = new EpochLoss(epoch, loss(rnn, data.x(), data.y()), loss(rnn, data.xVal(), data.yVal()));
            out.printf("Epoch: %d , Loss: %.8f , Val Loss: %.8f%n", epoch, loss.train(), loss.validation());
            losses.add(loss);
            for (int i = 0; i < data.x().length; i++) {
                double yHat = rnn.predict(data.x()[i]);
                rnn.step(data.y()[i], yHat);
            }
        }
        return losses;
    }

    /** Σ (y − ŷ)²/2 over the windows (the tutorial sums; its division by y.shape[0] divides by 1). */
    public static double loss(SineRnn rnn, double[][] x, double[] y) {
        return loss(tutorial(rnn), x, y);
    }

    static double loss(Net rnn, double[][] x, double[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double e = y[i] - rnn.predict(x[i]);
            sum += e * e / 2;
        }
        return sum;
    }

    private static double[] predictions(Net rnn, double[][] x) {
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = rnn.predict(x[i]);
        }
        return p;
    }

    private static void plot(Data data, double[] trainPredictions, double[] validationPredictions, Path png,
                             boolean faithful) throws IOException {
        int n = data.y().length;
        double[] t = new double[n + VALIDATION];
        double[] truth = new double[n + VALIDATION];
        for (int i = 0; i < t.length; i++) {
            t[i] = i + T;
            truth[i] = i < n ? data.y()[i] : data.yVal()[i - n];
        }
        XYChart chart = new XYChartBuilder().width(900).height(450)
                .title("charrnn example sine" + (faithful ? " --faithful" : "")
                        + ": predictions of sin(t) from the 50 values before it")
                .xAxisTitle("t").yAxisTitle("value").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(5);
        XYSeries truthSeries = chart.addSeries("sin(t)", t, truth);
        truthSeries.setMarker(SeriesMarkers.NONE);
        chart.addSeries("prediction, training windows", java.util.Arrays.copyOfRange(t, 0, n), trainPredictions)
                .setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("prediction, validation windows", java.util.Arrays.copyOfRange(t, n, t.length),
                validationPredictions).setMarker(SeriesMarkers.DIAMOND);
        AtomicFile.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
