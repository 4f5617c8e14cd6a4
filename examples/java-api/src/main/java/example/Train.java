package example;

import charrnn.api.Training;
import charrnn.api.TrainingListener;
import charrnn.api.TrainingResult;
import java.nio.file.Path;

/** Trains a 2-layer LSTM on a text file for a few minutes, reporting the held-out loss as it goes. */
public class Train {
    public static void main(String[] args) throws Exception {
        Training training = Training.builder()
                .corpus(Path.of(args.length > 0 ? args[0] : "corpus/input.txt"))
                .cell("lstm").layers(2).hiddenSize(128).batchSize(16).seqLength(50)
                .valFraction(0.1).evalEvery(100)
                .maxMinutes(args.length > 1 ? Double.parseDouble(args[1]) : 5)
                .checkpointDir(Path.of("runs/lstm"))
                .listener(new TrainingListener() {
                    @Override
                    public void onValidation(long iteration, double natsPerChar) {
                        System.out.printf("iteration %d: held-out loss %.4f nats/char%n", iteration, natsPerChar);
                    }
                })
                .build();
        // training.stop() from another thread ends it and saves a checkpoint, as Ctrl-C does
        TrainingResult result = training.run();
        System.out.println(result.iterations() + " iterations, saved " + result.checkpoint());
    }
}
