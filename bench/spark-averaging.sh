#!/usr/bin/env bash
# How much W workers averaging every K iterations learn per character against one machine on the same B
# streams, for each choice of Adam's v after a round (--second-moment): the held-out loss after the same
# iterations, per seed and the mean over the seeds. Spark in local mode; the loss does not depend on time.
#
# usage: bench/spark-averaging.sh [CORPUS]   (default: the first 200,000 characters of corpus/input.txt,
#                                             the Spark tests' corpus)
#   ITERATIONS=1000  SEEDS="1 2 3"  WS="2 4"  KS="10 1"  MOMENTS="mean rescaled estimated"
#   MODEL="--cell lstm --hidden-size 32 --batch-size 8"   (the Spark tests' model)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
corpus="${1:-}"
if [ -z "$corpus" ]; then
  corpus="$work/text.txt"
  # the first 200,000 code points (what the tests' Runs.corpus(dir, 200_000) writes)
  python3 -c 'import sys; t=open(sys.argv[1],encoding="utf-8").read(); open(sys.argv[2],"w",encoding="utf-8").write(t[:200000])' \
    "$here/corpus/input.txt" "$corpus"
fi
iterations="${ITERATIONS:-1000}"
seeds="${SEEDS:-1 2 3}"
ws="${WS:-2 4}"
ks="${KS:-10 1}"
moments="${MOMENTS:-mean rescaled estimated}"
model="${MODEL:---cell lstm --hidden-size 32 --batch-size 8}"
common="--val-fraction 0.05 --eval-every 100000 --log-every 0 --checkpoint-every 0 --max-iterations $iterations"
"$here/charrnn" --version >/dev/null 2>&1                    # builds the jar when it is missing or stale
[ -f "$here/spark/target/charrnn-spark.jar" ] || "$here/spark/spark-submit" --version >/dev/null 2>&1 || true

held_out() {   # log → the last held-out loss
  grep '^val loss' "$1" | tail -1 | awk '{print $3}'
}
mean() {
  awk '{ s += $1; n++ } END { printf "%.4f", s / n }'
}

declare -A one
row="one machine"
line=""
for seed in $seeds; do
  # shellcheck disable=SC2086
  "$here/charrnn" train "$corpus" $model $common --seed "$seed" --sample-every 0 \
    --checkpoint-dir "$work/one-$seed" >"$work/one-$seed.log" 2>&1
  one[$seed]="$(held_out "$work/one-$seed.log")"
  line+=" ${one[$seed]}"
done
echo "corpus: $corpus; $model; $iterations iterations; seeds: $seeds"
printf '| %-34s | %s | mean | above one machine |\n' "run" "$(for s in $seeds; do printf 'seed %s | ' "$s"; done | sed 's/ | $//')"
base="$(echo "$line" | tr ' ' '\n' | grep . | mean)"
printf '| %-34s |%s | %s | |\n' "$row" "$(for s in $seeds; do printf ' %s |' "${one[$s]}"; done | sed 's/ |$//')" "$base"
for k in $ks; do
  for w in $ws; do
    for moment in $moments; do
      vals=""
      for seed in $seeds; do
        log="$work/w$w-k$k-$moment-$seed.log"
        # shellcheck disable=SC2086
        "$here/spark/spark-submit" --master "local[2]" --conf spark.ui.enabled=false --class charrnn.spark.SparkTrain \
          "$here/spark/target/charrnn-spark.jar" "$corpus" $model $common --seed "$seed" --workers "$w" \
          --average-every "$k" --second-moment "$moment" --checkpoint-dir "$work/w$w-k$k-$moment-$seed" >"$log" 2>&1 \
          || { echo "failed: $log"; cat "$log"; exit 1; }
        vals+=" $(held_out "$log")"
      done
      m="$(echo "$vals" | tr ' ' '\n' | grep . | mean)"
      printf '| %-34s |%s | %s | %+.4f |\n' "W=$w, K=$k, $moment" "$(for v in $vals; do printf ' %s |' "$v"; done | sed 's/ |$//')" \
        "$m" "$(echo "$m - $base" | bc -l)"
    done
  done
done
