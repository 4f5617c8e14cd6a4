package example;

import charrnn.api.CharRnn;
import charrnn.api.Generation;
import charrnn.api.Score;
import java.nio.file.Path;

/** Loads a trained model, generates from it and scores a sentence under it. */
public class Generate {
    public static void main(String[] args) throws Exception {
        CharRnn model = CharRnn.load(Path.of(args.length > 0 ? args[0] : "checkpoints/latest.npz"));
        System.out.println(model);

        // what `charrnn generate --start "Call me " --length 200` prints
        System.out.println(model.generate("Call me ", 200));

        // another seed, a cooler temperature, and a stop at the first full stop
        System.out.println(model.generate("Call me ", Generation.length(500).seed(7).temperature(0.7).stopAt(".")));
        // only the most likely characters: top-k, then top-p (docs/generate.md); temperature 0 is greedy
        System.out.println(model.generate("Call me ", Generation.length(200).topK(10).topP(0.9)));

        // character by character, as they are drawn
        model.generate("Call me ", Generation.length(80), c -> {
            System.out.print(c);
            return true;   // false would stop here
        });
        System.out.println();

        Score score = model.score("Call me Ishmael. Some years ago, never mind how long precisely.");
        System.out.println(score);   // nats/char, bits/char, characters scored
    }
}
