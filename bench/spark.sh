#!/usr/bin/env bash
# Spark's local mode against charrnn train on one machine, back to back: the same model on the same
# characters for the same minutes, charrnn train on both cores (--threads 2) and spark/spark-submit with
# --master 'local[2]' and two workers of one core each (spark.task.cpus=1), averaging every K iterations for
# each K of KS. Prints each run's iterations, held-out loss and Spark's round summary (median round time and
# Spark's overhead in it), and draws the held-out loss against minutes (bench/MetricsPlot.java).
#
# usage: bench/spark.sh CORPUS [MINUTES] [OUT.png]     (default 4 minutes, spark.png)
#   KS="1 10 50"                 the averaging periods to run
#   MODEL="--cell lstm ..."      the model (default: lstm, 2 layers of 256, B=50, T=50, the lstm defaults)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$1"
minutes="${2:-4}"
out="${3:-spark.png}"
ks="${KS:-1 10 50}"
model="${MODEL:---cell lstm --layers 2 --hidden-size 256 --batch-size 50 --seq-length 50}"
common="--val-fraction 0.05 --eval-every 200 --log-every 100 --checkpoint-every 0 --sample-every 0 --max-minutes $minutes"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/charrnn" --version >/dev/null 2>&1                    # builds the jar when it is missing or stale
[ -f "$here/spark/target/charrnn-spark.jar" ] || "$here/spark/spark-submit" --version >/dev/null 2>&1 || true

summary() {   # name, log
  local iters val
  iters="$(grep -E '^(done|stopped) at iteration' "$2" | grep -oE 'iteration [0-9]+' | grep -oE '[0-9]+')"
  val="$(grep '^val loss' "$2" | tail -1 | awk '{print $3}')"
  printf '%-22s %6s iterations, held-out %s nats/char' "$1" "$iters" "$val"
  grep -E '^spark: [0-9]+ rounds' "$2" | sed 's/^spark:/ |/' || echo
}

# shellcheck disable=SC2086
"$here/charrnn" train "$corpus" $model $common --threads 2 --checkpoint-dir "$work/single" \
  >"$work/single.log" 2>&1
summary "charrnn train, 2 cores" "$work/single.log"
args=("$out" "charrnn train (2 threads) and Spark local[2] (2 workers of 1 core), $minutes minutes"
      "charrnn train=$work/single/metrics.csv")
for k in $ks; do
  # shellcheck disable=SC2086
  "$here/spark/spark-submit" --master 'local[2]' --conf spark.ui.enabled=false --class charrnn.spark.SparkTrain \
    "$here/spark/target/charrnn-spark.jar" "$corpus" $model $common --workers 2 --average-every "$k" \
    --checkpoint-dir "$work/k$k" >"$work/k$k.log" 2>&1
  summary "spark, K=$k" "$work/k$k.log"
  args+=("spark K=$k=$work/k$k/metrics.csv")
done
java -cp "$here/target/charrnn.jar" "$here/bench/MetricsPlot.java" "${args[@]}"
echo "drew $out"
