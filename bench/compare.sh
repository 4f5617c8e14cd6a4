#!/usr/bin/env bash
# Times `charrnn train` against the numpy min-char-rnn (bench/min_char_rnn.py) on the same corpus, in one
# run: float64 at H=100 and H=512, float32 at H=512, T=25, sampling off, and the peak resident memory.
#
# usage: bench/compare.sh [CORPUS]        (default: corpus/input.txt)
#   REPEATS=3   rounds; each runs every program once, and a figure is the median of all its intervals
#   BIG=1       also measure charrnn's peak memory on a generated 1 GB corpus (needs 1 GB in $TMPDIR)
#
# Start-up and warm-up are left out: both programs print their rate over each interval of iterations
# (charrnn's "chars/s" divided by T = 25, the numpy script's "it/s"); the first intervals of every run
# are dropped and the median of the rest is reported.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${1:-$here/corpus/input.txt}"
repeats="${REPEATS:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$here/charrnn" --version >/dev/null 2>&1   # builds the jar when it is missing or stale
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%M" -o "$work/rss")

# measure NAME SKIP CMD...: runs CMD once; its rates are the "| R it/s" or "| C chars/s" ends of its lines
# (chars/s / 25); the first SKIP are dropped and the rest appended to $work/NAME.rates; peak RSS likewise
measure() {
  local name="$1" skip="$2"; shift 2
  echo 0 >"$work/rss"
  "${timer[@]}" "$@" 2>"$work/stderr" >"$work/out" || { cat "$work/stderr" >&2; exit 1; }
  grep '^iter ' "$work/out" | tail -n +"$((skip + 1))" \
    | sed -E 's/.*\| ([0-9.,]+) (it|chars)\/s( \|.*)?$/\1 \2/' | tr -d , \
    | awk '{print ($2 == "chars") ? $1 / 25 : $1}' >>"$work/$name.rates"
  cat "$work/rss" >>"$work/$name.rss"
  grep -qx "$name" "$work/names" 2>/dev/null || echo "$name" >>"$work/names"
}

# through the launcher, with the settings a user gets (its peak RSS is Java's: the launcher waits for it)
charrnn=("$here/charrnn" train --sample-every 0 --checkpoint-every 0 --checkpoint-dir "$work/ck" --overwrite)
numpy=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$here/bench/min_char_rnn.py" "$corpus")

echo "corpus: $corpus; $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs));" \
     "$repeats rounds; $(java -version 2>&1 | head -1);" \
     "numpy $(python3 -c 'import numpy; print(numpy.__version__)')" >&2
# every program once per round, so that all of them see the same moments of a shared machine
for round in $(seq "$repeats"); do
  echo "round $round of $repeats" >&2
  measure "charrnn H=100"        3 "${charrnn[@]}" "$corpus" --hidden-size 100 --max-iterations 24001 --log-every 2000
  measure "numpy H=100"          2 "${numpy[@]}" 100 2400 200
  measure "charrnn H=512"        3 "${charrnn[@]}" "$corpus" --hidden-size 512 --max-iterations 3001 --log-every 250
  measure "charrnn H=512 float"  3 "${charrnn[@]}" "$corpus" --hidden-size 512 --max-iterations 4501 \
    --log-every 375 --dtype float
  measure "numpy H=512"          2 "${numpy[@]}" 512 240 20
done
if [ "${BIG:-0}" = 1 ]; then
  python3 -c "
import sys
data = open(sys.argv[1], 'rb').read()
with open(sys.argv[2], 'wb') as f:
    for _ in range(-(-(1 << 30) // len(data))):
        f.write(data)" "$corpus" "$work/big.txt"
  measure "charrnn H=100, 1 GB file" 3 "${charrnn[@]}" "$work/big.txt" --hidden-size 100 --max-iterations 24001 \
    --log-every 2000
fi

python3 - "$work" <<'PY'
import os, statistics, sys
work = sys.argv[1]
names = [n.strip() for n in open(os.path.join(work, 'names'))]
rows = {}
for name in names:
    rates = [float(x) for x in open(os.path.join(work, name + '.rates'))]
    rss = max(int(x) for x in open(os.path.join(work, name + '.rss')))
    rows[name] = (statistics.median(rates), rss, len(rates))
def rate(name):
    return rows.get(name, (float('nan'), 0, 0))[0]
print()
print('| run | iterations/s (median) | vs numpy, same H | peak RSS | intervals |')
print('| --- | ---: | ---: | ---: | ---: |')
for name, (r, rss, count) in rows.items():
    h = '512' if 'H=512' in name else '100'
    ratio = '' if name.startswith('numpy') else '%.1f×' % (r / rate('numpy H=' + h))
    print('| %s | %.0f | %s | %s | %d |' % (name, r, ratio, '%.0f MiB' % (rss / 1024) if rss else 'n/a', count))
print()
print('float32 / float64 at H=512: %.2f×' % (rate('charrnn H=512 float') / rate('charrnn H=512')))
PY
