package charrnn.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The mean of the workers' weights, summed in a tree: level by level, worker 2k's partial sum and worker
 * 2k+1's are added. The tree's shape is fixed by the workers' indices, never by the order in which tasks
 * finish: each addition has two operands, and a + b = b + a exactly, so the sum has the same bits on every
 * run, after any retried task, and wherever it is computed (Spark's own treeAggregate adds the last
 * partial sums in arrival order). For a few workers the driver receives every copy with the round's one
 * Spark job and sums them itself ({@link #mean(List)}); for more, the executors sum (one shuffle per level,
 * ⌈log2 W⌉ levels), so the driver receives one copy whatever W is ({@link #mean(JavaRDD, int)}).
 */
final class Averaging {
    private Averaging() {
    }

    /** (Σ_w weights_w) / W on the driver, the sum as the same pairwise tree over the workers in their order. */
    static Weights mean(List<Weights> byWorker) {
        List<Weights> level = byWorker;
        while (level.size() > 1) {
            List<Weights> sums = new ArrayList<>();
            for (int k = 0; k < level.size(); k += 2) {
                sums.add(k + 1 < level.size() ? level.get(k).plus(level.get(k + 1)) : level.get(k));
            }
            level = sums;
        }
        return level.get(0).dividedBy(byWorker.size());   // (x / 1 = x exactly)
    }

    /** (Σ_w weights_w) / W on the executors, the sum as a pairwise tree over the worker indices 0..W−1. */
    static Weights mean(JavaRDD<Replica.Result> results, int workers) {
        JavaPairRDD<Integer, Weights> level = results.mapToPair(r -> new Tuple2<>(r.progress().worker(), r.weights()));
        for (int n = workers; n > 1; n = (n + 1) / 2) {
            level = level.mapToPair(t -> new Tuple2<>(t._1() / 2, t))
                    .groupByKey(new HashPartitioner((n + 1) / 2))
                    .mapValues(Averaging::sumInOrder);
        }
        List<Weights> total = level.values().collect();
        if (total.size() != 1) {
            throw new IllegalStateException("the tree ended with " + total.size() + " sums");
        }
        return total.get(0).dividedBy(workers);   // (x / 1 = x exactly)
    }

    /** The sum of one node's (at most two) children, the lower index first. */
    private static Weights sumInOrder(Iterable<Tuple2<Integer, Weights>> children) {
        List<Tuple2<Integer, Weights>> c = new ArrayList<>();
        children.forEach(c::add);
        c.sort((a, b) -> Integer.compare(a._1(), b._1()));
        Weights sum = c.get(0)._2();
        for (int i = 1; i < c.size(); i++) {
            sum = sum.plus(c.get(i)._2());
        }
        return sum;
    }
}
