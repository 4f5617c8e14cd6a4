package bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.TreeSet;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J's LSTM character model as its own character-modelling example sets it up: LSTM layers and an
 * RnnOutputLayer (softmax, MCXENT) on one-hot input of shape [B, V, L], truncated BPTT of 50 steps over
 * sequences of L = 1000 characters, here with Adam (lr 0.002) and element-wise gradient clipping at 5,
 * float32. Prints `iter N ... | R chars/s` per fit of one mini-batch (B·L characters).
 *
 * usage: java -cp ... bench.Dl4jCharLstm TEXT LAYERS HIDDEN BATCH TBPTT ITERATIONS
 */
public final class Dl4jCharLstm {
    public static void main(String[] args) throws Exception {
        String text = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        int layers = Integer.parseInt(args[1]);
        int hidden = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        int tbptt = Integer.parseInt(args[4]);
        int iterations = Integer.parseInt(args[5]);
        int length = 1000;
        int[] cps = text.codePoints().toArray();
        TreeSet<Integer> set = new TreeSet<>();
        for (int cp : cps) {
            set.add(cp);
        }
        Integer[] vocab = set.toArray(new Integer[0]);
        int v = vocab.length;
        int[] ix = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            ix[i] = java.util.Arrays.binarySearch(vocab, cps[i]);
        }

        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(12345)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(0.002))
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(5)
                .list();
        for (int k = 0; k < layers; k++) {
            list.layer(new LSTM.Builder().nIn(k == 0 ? v : hidden).nOut(hidden).activation(Activation.TANH).build());
        }
        list.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nIn(hidden).nOut(v).build());
        MultiLayerConfiguration conf = list.backpropType(BackpropType.TruncatedBPTT)
                .tBPTTForwardLength(tbptt).tBPTTBackwardLength(tbptt).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        System.out.printf("data has %d characters, %d unique; DL4J %d LSTM layers of %d, B=%d, TBPTT %d, L=%d%n",
                cps.length, v, layers, hidden, batch, tbptt, length);

        Random random = new Random(7);
        for (int n = 0; n < iterations; n++) {
            INDArray features = Nd4j.zeros(DataType.FLOAT, batch, v, length);
            INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, v, length);
            for (int b = 0; b < batch; b++) {
                int start = random.nextInt(ix.length - length - 1);
                for (int t = 0; t < length; t++) {
                    features.putScalar(new int[] {b, ix[start + t], t}, 1f);
                    labels.putScalar(new int[] {b, ix[start + t + 1], t}, 1f);
                }
            }
            long t0 = System.nanoTime();
            net.fit(new DataSet(features, labels));
            double seconds = (System.nanoTime() - t0) * 1e-9;
            System.out.printf("iter %d, loss: %f | %.0f chars/s%n", n, net.score(), batch * length / seconds);
        }
    }
}
