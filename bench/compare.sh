#!/usr/bin/env bash
# Times `charrnn train` against the numpy min-char-rnn (bench/min_char_rnn.py) on the same corpus, in one
# run: float64 at H=100 and H=512, float32 at H=512, sampling off, T=25, and the peak resident memory.
#
# usage: bench/compare.sh [CORPUS]        (default: corpus/input.txt)
#   REPEATS=3   measurements per figure (the median is reported)
#   BIG=1       also measure peak memory on a generated 1 GB corpus (needs 1 GB in $TMPDIR)
#
# Start-up and warm-up are taken out by timing two runs of each program that differ only in the number
# of iterations: rate = (N2 - N1) / (seconds(N2) - seconds(N1)).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${1:-$here/corpus/input.txt}"
repeats="${REPEATS:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$here/charrnn" --version >/dev/null   # builds the jar when it is missing or stale
jar="$here/target/charrnn.jar"
java_opts=(-Xmx256m --add-modules jdk.incubator.vector)   # what the launcher passes

have_time=1
[ -x /usr/bin/time ] || have_time=0

# run_timed OUTFILE CMD...: wall seconds and peak RSS (KiB) of CMD into OUTFILE as "seconds kib"
run_timed() {
  local out="$1"; shift
  if [ "$have_time" = 1 ]; then
    /usr/bin/time -f "%e %M" -o "$out" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
  else
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
    t1=$(date +%s.%N)
    echo "$(echo "$t1 - $t0" | bc) 0" >"$out"
  fi
}

charrnn_cmd() {   # H N [extra options]
  local h="$1" n="$2"; shift 2
  echo java "${java_opts[@]}" -jar "$jar" train "$corpus" --hidden-size "$h" --max-iterations "$n" \
    --sample-every 0 --log-every 0 --checkpoint-every 0 --checkpoint-dir "$work/ck" "$@"
}

numpy_cmd() {     # H N
  echo env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$here/bench/min_char_rnn.py" "$corpus" "$1" "$2"
}

# rate NAME N1 N2 CMD1 CMD2: median over REPEATS of (N2 - N1) / (t2 - t1); peak RSS of the longer run
rate() {
  local name="$1" n1="$2" n2="$3" cmd1="$4" cmd2="$5" rates=() rss=0
  for _ in $(seq "$repeats"); do
    run_timed "$work/t1" $cmd1
    run_timed "$work/t2" $cmd2
    read -r s1 _ <"$work/t1"
    read -r s2 k2 <"$work/t2"
    rates+=("$(python3 -c "print(($n2 - $n1) / ($s2 - $s1))")")
    [ "$k2" -gt "$rss" ] && rss="$k2"
  done
  median=$(printf '%s\n' "${rates[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%s %s %s %s\n' "$name" "$median" "$rss" "$(printf '%s,' "${rates[@]}" | sed 's/,$//')" >>"$work/results"
  printf '  %-22s %10.1f it/s   (runs: %s)\n' "$name" "$median" "$(printf '%.0f ' "${rates[@]}")" >&2
}

echo "corpus: $corpus; $(nproc) cores; $repeats repeats; $(java -version 2>&1 | head -1); numpy $(python3 -c 'import numpy; print(numpy.__version__)')" >&2
: >"$work/results"
rate "charrnn H=100"        2000 12000 "$(charrnn_cmd 100 2000)" "$(charrnn_cmd 100 12000)"
rate "numpy H=100"           200  2200 "$(numpy_cmd 100 200)"    "$(numpy_cmd 100 2200)"
rate "charrnn H=512"         200  1200 "$(charrnn_cmd 512 200)"  "$(charrnn_cmd 512 1200)"
rate "charrnn H=512 float"   200  1200 "$(charrnn_cmd 512 200 --dtype float)" "$(charrnn_cmd 512 1200 --dtype float)"
rate "numpy H=512"            20   220 "$(numpy_cmd 512 20)"     "$(numpy_cmd 512 220)"
if [ "${BIG:-0}" = 1 ]; then
  big="$work/big.txt"
  python3 -c "
import sys
data = open(sys.argv[1], 'rb').read()
with open(sys.argv[2], 'wb') as f:
    for _ in range(-(-(1 << 30) // len(data))):
        f.write(data)" "$corpus" "$big"
  saved="$corpus"; corpus="$big"
  rate "charrnn H=100, 1 GB"  2000 12000 "$(charrnn_cmd 100 2000)" "$(charrnn_cmd 100 12000)"
  corpus="$saved"
fi

python3 - "$work/results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    name, rate, rss, runs = line.rsplit(' ', 3)
    rows[name] = (float(rate), int(rss), runs.strip())
def get(name):
    return rows.get(name, (float('nan'), 0, ''))[0]
print()
print('| run | iterations/s (median) | vs numpy | peak RSS |')
print('| --- | ---: | ---: | ---: |')
for name, (rate, rss, runs) in rows.items():
    h = '512' if 'H=512' in name else '100'
    ratio = '' if name.startswith('numpy') else '%.1f×' % (rate / get('numpy H=' + h))
    print('| %s | %.0f | %s | %s |' % (name, rate, ratio, '%.0f MiB' % (rss / 1024) if rss else 'n/a'))
print()
print('float32 / float64 at H=512: %.2f×' % (get('charrnn H=512 float') / get('charrnn H=512')))
PY
