#!/usr/bin/env bash
# A round's Spark overhead (its wall-clock time less its slowest task's own time: broadcasting, scheduling,
# summing, collecting), this tree's charrnn-spark against another build's, side by side: in local mode
# (local[2]) and on a standalone cluster of separate JVMs on this machine (spark/local-cluster, 2 workers of
# 1 core), for lstm models of 2 layers of H = 256 and 512 (13 and 51 MB of float32 parameters and Adam
# state). Each run: 2 workers, K = 5, 40 iterations (8 rounds; B = 4, T = 25, so the rounds are mostly
# overhead); the figure is the run's median round; REPEATS runs per cell, alternating the builds; the table
# gives the median over the runs. (No --sample-every: the build before took none; a sample falls outside a
# round's time.)
#
# usage: BEFORE=DIR bench/spark-rounds.sh [CORPUS]   DIR: another checkout whose spark/ is packaged
#   REPEATS=3  HS="256 512"  MASTERS="local cluster"
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
before="${BEFORE:?BEFORE=DIR: a checkout of the build to compare with, its spark/ packaged}"
corpus="${1:-$here/corpus/input.txt}"
repeats="${REPEATS:-3}"
hs="${HS:-256 512}"
masters="${MASTERS:-local cluster}"
work="$(mktemp -d)"
export LOCAL_CLUSTER_DIR="$work/cluster"
cleanup() {
  if ls "$LOCAL_CLUSTER_DIR"/*.pid >/dev/null 2>&1; then "$here/spark/local-cluster" stop 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
for tree in "$before" "$here"; do
  [ -f "$tree/spark/target/charrnn-spark.jar" ] || { echo "no $tree/spark/target/charrnn-spark.jar" >&2; exit 1; }
done
url=""
if [[ " $masters " == *" cluster "* ]]; then
  export SPARK_MASTER_PORT="${SPARK_MASTER_PORT:-17077}" SPARK_MASTER_WEBUI_PORT="${SPARK_MASTER_WEBUI_PORT:-18080}"
  url="$("$here/spark/local-cluster" start 2 1)"
fi

overhead() {   # tree, master, H, log → the run's median overhead per round in ms
  local n=$((RANDOM))
  "$1/spark/spark-submit" --master "$2" --conf spark.ui.enabled=false --class charrnn.spark.SparkTrain \
    "$1/spark/target/charrnn-spark.jar" "$corpus" --cell lstm --layers 2 --hidden-size "$3" --batch-size 4 \
    --seq-length 25 --workers 2 --average-every 5 --max-iterations 40 --log-every 0 \
    --checkpoint-every 0 --checkpoint-dir "$work/run-$n" >"$4" 2>&1 || { cat "$4" >&2; exit 1; }
  rm -rf "$work/run-$n"
  grep -oE 'of it [0-9.]+ ms' "$4" | grep -oE '[0-9.]+'
}
median() {
  sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "| master | H | before: overhead per round, ms (runs) | after | after / before |"
echo "| --- | ---: | ---: | ---: | ---: |"
for master in $masters; do
  m="local[2]"
  [ "$master" = cluster ] && m="$url"
  for h in $hs; do
    b=""
    a=""
    for _ in $(seq 1 "$repeats"); do
      b+="$(overhead "$before" "$m" "$h" "$work/log") "
      a+="$(overhead "$here" "$m" "$h" "$work/log") "
    done
    mb="$(echo "$b" | tr ' ' '\n' | grep . | median)"
    ma="$(echo "$a" | tr ' ' '\n' | grep . | median)"
    printf '| %s | %s | %s (%s) | %s (%s) | %.2f |\n' "$m" "$h" "$mb" "${b% }" "$ma" "${a% }" "$(echo "$ma / $mb" | bc -l)"
  done
done
