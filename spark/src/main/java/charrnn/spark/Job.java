package charrnn.spark;

import charrnn.corpus.Corpus;
import charrnn.corpus.Vocabulary;
import charrnn.optim.OptimizerConfig;
import charrnn.train.TrainConfig;
import java.io.Serializable;

/**
 * What every worker of a run needs besides the round's weights, sent once per run: the configuration, the
 * model's vocabulary, where the corpus is and what its one pass found, and where each stream starts.
 *
 * @param optimizer the optimizer's constants and learning rate
 * @param starts   byte offset of each of the B streams' first character
 * @param failTask a test's fault: "ROUND:WORKER" makes that task's first attempt fail; null in real runs
 */
record Job(TrainConfig config, OptimizerConfig optimizer, String[] vocabulary, HadoopText text, long bytes, long dataStart, long codePoints,
           String[] corpusVocabulary, long[] starts, String failTask) implements Serializable {

    static Job of(TrainConfig config, OptimizerConfig optimizer, Vocabulary vocabulary, Corpus corpus, long[] starts,
                  String failTask) {
        return new Job(config, optimizer, vocabulary.asStrings().toArray(new String[0]), (HadoopText) corpus.source(), corpus.bytes(),
                corpus.dataStart(), corpus.codePoints(), corpus.vocabulary().asStrings().toArray(new String[0]), starts, failTask);
    }

    /** The corpus as its pass found it (no second pass). */
    Corpus corpus() {
        return new Corpus(text, bytes, dataStart, codePoints, Vocabulary.ofStrings(java.util.List.of(corpusVocabulary)));
    }

    Vocabulary modelVocabulary() {
        return Vocabulary.ofStrings(java.util.List.of(vocabulary));
    }

    int batchSize() {
        return config.deep().batchSize();
    }

    /** The characters trained on (the rest is held out). */
    long trainLength() {
        return config.trainLength(codePoints);
    }
}
