import charrnn.api.CharRnn;
import charrnn.api.Score;
import charrnn.api.Training;
import charrnn.api.TrainingResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trains min-char-rnn on a text with its last tenth held out (through the Java API, as `charrnn train
 * TEXT --val-fraction 0.1 --max-minutes M` would), then scores the held-out tenth with CharRnn.score and
 * compares with the validation loss training computed at its last iteration:
 *
 *   java --add-modules jdk.incubator.vector -cp target/charrnn.jar bench/HeldOutScore.java TEXT MINUTES DIR
 */
public class HeldOutScore {
    public static void main(String[] args) throws Exception {
        Path text = Path.of(args[0]);
        TrainingResult r = Training.builder().corpus(text).valFraction(0.1).maxMinutes(Double.parseDouble(args[1]))
                .sampleEvery(0).logEvery(0).evalEvery(1_000_000).checkpointDir(Path.of(args[2])).build().run();
        System.out.printf("trained %d iterations; validation loss at the end: %.12f nats/char%n", r.iterations(),
                r.validation());
        CharRnn model = CharRnn.load(r.checkpoint());
        int[] cps = Files.readString(text, StandardCharsets.UTF_8).codePoints().toArray();
        int start = cps.length - (int) Math.floor(0.1 * cps.length);   // training's split (TrainConfig.trainLength)
        int t = model.seqLength();
        int windows = (cps.length - start - 1) / t;   // validation scores whole windows only
        Score whole = model.score(new String(cps, start, cps.length - start));
        Score same = model.score(new String(cps, start, 1 + windows * t));
        System.out.println("score of the held-out tenth:          " + whole + String.format(" = %.12f", whole.natsPerChar()));
        System.out.println("score of it cut to whole windows:     " + same + String.format(" = %.12f", same.natsPerChar()));
        System.out.printf("difference from the validation loss: %.3e (whole windows), %.3e (all of it)%n",
                same.natsPerChar() - r.validation(), whole.natsPerChar() - r.validation());
    }
}
