#!/usr/bin/env bash
# Learning per minute and per iteration, charrnn against PyTorch, back to back on one machine: the README's
# 10-minute command (lstm, 2 layers, H=256, B=50, T=50, the lstm defaults: an embedding of H, the mean
# loss) and bench/torch_char_lstm.py with the same layers, H, B, T and split, PyTorch's best configuration
# (nn.Embedding input, one intra-op thread beside OpenBLAS's own, one per core). Both score the held-out tenth every 100 iterations; the script prints
# the held-out loss of each at 300 and 1,000 iterations and at the end, and draws both curves against
# minutes and against iterations (bench/LearningPlot.java), keeping beside OUT.png charrnn's metrics.csv,
# PyTorch's log and charrnn's last checkpoint (OUT-charrnn-metrics.csv, OUT-torch.log, OUT-charrnn.npz).
#
# usage: bench/learning.sh CORPUS [MINUTES] [OUT.png]     (default 10 minutes, learning.png)
#   CHARRNN_ARGS="--dropout 0.25"   more options for charrnn (the README's command adds its own)
#   TORCH_ARGS="--dropout 0.25 --lr-decay 0.3"   more options for PyTorch: the same recipe as charrnn's
#               lstm defaults with the README's dropout
#   ORDER=torch-first|charrnn-first   which runs first (default torch-first)
# Needs PyTorch (Debian: apt-get install python3-torch libopenblas0-pthread). Each program gets its best
# BLAS kernels: OPENBLAS_CORETYPE=SkylakeX on a CPU with AVX-512, unless OPENBLAS_CORETYPE is set.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$1"
minutes="${2:-10}"
out="${3:-learning.png}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
py=""
for candidate in /usr/bin/python3 python3; do
  if "$candidate" -c 'import torch' 2>/dev/null; then py="$candidate"; break; fi
done
[ -n "$py" ] || { echo "learning.sh: PyTorch is not installed (apt-get install python3-torch libopenblas0-pthread)" >&2; exit 1; }
if [ -z "${OPENBLAS_CORETYPE:-}" ] \
   && [ "$(grep -m1 '^flags' /proc/cpuinfo | grep -ow -E 'avx512(f|cd|bw|dq|vl)' | sort -u | wc -l)" = 5 ]; then
  export OPENBLAS_CORETYPE=SkylakeX
fi
"$here/charrnn" --version >/dev/null 2>&1   # builds the jar when it is missing or stale

run_torch() {
  # shellcheck disable=SC2086
  "$py" "$here/bench/torch_char_lstm.py" "$corpus" --cell lstm --layers 2 --hidden-size 256 --batch-size 50 \
    --seq-length 50 --input embed --val-fraction 0.1 --eval-every 100 --log-every 100 --max-minutes "$minutes" \
    ${TORCH_ARGS:-} >"$work/torch.log" 2>&1
}
run_charrnn() {
  # shellcheck disable=SC2086
  "$here/charrnn" train "$corpus" --cell lstm --layers 2 --hidden-size 256 --batch-size 50 --seq-length 50 \
    --val-fraction 0.1 --max-minutes "$minutes" --eval-every 100 --sample-every 0 --log-every 100 \
    --checkpoint-every 0 --checkpoint-dir "$work/ck" ${CHARRNN_ARGS:-} >"$work/charrnn.log" 2>&1
}
echo "corpus $corpus, $minutes minutes each; $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs));" \
     "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}; $(java -version 2>&1 | head -1); torch $("$py" -c 'import torch; print(torch.__version__)')" >&2
if [ "${ORDER:-torch-first}" = charrnn-first ]; then run_charrnn; run_torch; else run_torch; run_charrnn; fi
grep '^model:' "$work/charrnn.log" >&2 || true
java -cp "$here/target/charrnn.jar" "$here/bench/LearningPlot.java" "$work/ck/metrics.csv" "$work/torch.log" "$out" \
  "held-out loss, tinyshakespeare, lstm 2x256, B=50, T=50"
cp "$work/ck/metrics.csv" "${out%.png}-charrnn-metrics.csv"
cp "$work/torch.log" "${out%.png}-torch.log"
cp "$work/ck/latest.npz" "${out%.png}-charrnn.npz"   # for charrnn generate
"$py" - "$work/ck/metrics.csv" "$work/torch.log" <<'PY'
import re, sys
charrnn = {}   # iterations done -> held-out loss
minutes = {}
for line in open(sys.argv[1]).read().splitlines()[1:]:
    c = line.split(",")
    if len(c) == 6 and c[3]:
        charrnn[int(c[0]) + 1] = float(c[3]); minutes[int(c[0]) + 1] = float(c[5]) / 60
torch = {}
tmin = {}
for line in open(sys.argv[2]):
    m = re.match(r"val loss ([0-9.]+) nats/char at ([0-9.]+) minutes, iteration ([0-9]+)", line)
    if m:
        torch[int(m.group(3))] = float(m.group(1)); tmin[int(m.group(3))] = float(m.group(2))
def near(d, n):
    k = min(d, key=lambda i: abs(i - n))
    return "%.4f (after %d)" % (d[k], k) if abs(k - n) <= 5 else "n/a"
print("| | charrnn | PyTorch |")
print("| --- | ---: | ---: |")
print("| held-out loss after 300 iterations | %s | %s |" % (near(charrnn, 300), near(torch, 300)))
print("| held-out loss after 1,000 iterations | %s | %s |" % (near(charrnn, 1000), near(torch, 1000)))
lc, lt = max(charrnn), max(torch)
print("| at the end | %.4f after %d iterations, %.2f min | %.4f after %d iterations, %.2f min |"
      % (charrnn[lc], lc, minutes[lc], torch[lt], lt, tmin[lt]))
print("| best | %.4f | %.4f |" % (min(charrnn.values()), min(torch.values())))
PY
