#!/usr/bin/env bash
# Times `charrnn train` against the numpy min-char-rnn (bench/min_char_rnn.py) on the same corpus, in one
# run: float64 at H=100 and H=512, float32 at H=512, T=25, sampling off, and the peak resident memory.
#
# usage: bench/compare.sh [CORPUS]        (default: corpus/input.txt)
#   REPEATS=3   rounds; each runs every program once, and a figure is the median of all its intervals
#   BIG=1       also measure charrnn's peak memory on a generated 1 GB corpus (needs 1 GB in $TMPDIR)
#   DEEP=1      instead: the deep models (2 LSTM layers, H = 128, 256, 512, B=50, T=50, Adam, float32, clip 5;
#               charrnn with its default embedding of H and, as every run before that option, one-hot input)
#               against PyTorch (bench/torch_char_lstm.py, embedding and one-hot input, at its best) and DL4J
#               (bench/dl4j, OMP_NUM_THREADS=1, its faster setting here), and a GRU at H=256; training
#               characters per second. PyTorch rows are skipped when it is not installed (Debian:
#               apt-get install python3-torch libopenblas0-pthread).
#   PEERS=0     with DEEP=1: charrnn's rows only (the GRU/LSTM time per parameter in a few minutes)
#   DL4J=0      with DEEP=1: no DL4J rows
#   BEFORE=DIR  also every charrnn row with DIR's launcher (a checkout of another commit, built), right after
#               this checkout's, as "NAME (before)": two builds alternating in one run
#   THREADS="1 2"  every charrnn row (and with DEEP=1 every PyTorch row) once per thread count, as "NAME, N
#               threads": charrnn --threads N; PyTorch torch.set_num_threads(N) with OPENBLAS_NUM_THREADS=N,
#               and for N > 1 also its best N-core setting here, one intra-op thread beside OpenBLAS's N
#               ("intra-op 1 + OpenBLAS N"); the BEFORE rows and DL4J's run once, with their own settings
#               (default: charrnn on all cores; PyTorch with one intra-op thread and with one per core, both
#               beside OpenBLAS's own threads, one per core)
# PyTorch at its best: every PyTorch setting of a row (cell, H, input, thread count) runs in the same rounds,
# and the summary's last table compares charrnn with the fastest of them, naming the one that won.
#   ONEHOT=0    with DEEP=1: no one-hot rows
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
  if ! "${timer[@]}" "$@" 2>"$work/stderr" >"$work/out"; then
    echo "$name failed:" >&2
    tail -n 5 "$work/stderr" >&2
    return 0
  fi
  grep '^iter ' "$work/out" | tail -n +"$((skip + 1))" \
    | sed -E 's/.*\| ([0-9.,]+) (it|chars)\/s( \|.*)?$/\1 \2/' | tr -d , \
    | awk -v per="$per_iteration" '{print ($2 == "chars") ? $1 / per : $1}' >>"$work/$name.rates"
  cat "$work/rss" >>"$work/$name.rss"
  grep -qx "$name" "$work/names" 2>/dev/null || echo "$name" >>"$work/names"
}

# measure_charrnn NAME SKIP ARGS...: ARGS starts with this checkout's launcher; with BEFORE, the same
# command on BEFORE's launcher follows at once
measure_charrnn() {
  local name="$1" skip="$2"; shift 2
  if [ -n "${THREADS:-}" ]; then
    local n
    for n in $THREADS; do
      measure "$name, $n threads" "$skip" "$@" --threads "$n"
    done
  else
    measure "$name" "$skip" "$@"
  fi
  if [ -n "${BEFORE:-}" ]; then
    local args=("$@")
    args[0]="$BEFORE/charrnn"
    measure "$name (before)" "$skip" "${args[@]}"
  fi
}
[ -z "${BEFORE:-}" ] || "$BEFORE/charrnn" --version >/dev/null 2>&1

per_iteration=25   # the min-char-rnn rows are in iterations/s: T = 25 characters each

if [ "${DEEP:-0}" = 1 ]; then
  per_iteration=1  # the deep rows are in characters/s
  # each peer at its best: OpenBLAS's AVX-512 kernels where the CPU has AVX-512 (charrnn's OpenBLAS, 0.3.31,
  # picks them itself; Debian's, 0.3.21, and DL4J's, 0.3.19, do not know the newest CPUs), DL4J with one
  # OpenMP thread
  peers=(env)
  if [ -z "${OPENBLAS_CORETYPE:-}" ] \
     && [ "$(grep -m1 '^flags' /proc/cpuinfo | grep -ow -E 'avx512(f|cd|bw|dq|vl)' | sort -u | wc -l)" = 5 ]; then
    peers=(env OPENBLAS_CORETYPE=SkylakeX)
  fi
  py=""
  peers_on="${PEERS:-1}"
  for candidate in python3 /usr/bin/python3; do
    [ "$peers_on" = 1 ] || break
    if "$candidate" -c 'import torch' 2>/dev/null; then py="$candidate"; break; fi
  done
  [ -n "$py" ] || [ "$peers_on" != 1 ] || echo "PyTorch is not installed: its rows are skipped (apt-get install python3-torch)" >&2
  [ "$peers_on" != 1 ] || [ "${DL4J:-1}" != 1 ] || (cd "$here/bench/dl4j" && mvn -q -B package dependency:copy-dependencies >&2)
  deep=("$here/charrnn" train --sample-every 0 --checkpoint-every 0 --checkpoint-dir "$work/ck" --overwrite
        --layers 2 --batch-size 50 --seq-length 50 --optimizer adam --dtype float)
  torch=("${peers[@]}" "$py" "$here/bench/torch_char_lstm.py" "$corpus" --layers 2 --batch-size 50
         --seq-length 50 --val-fraction 0)
  # measure_torch NAME SKIP ARGS...: once per thread count of THREADS (default: at its best, see THREADS)
  measure_torch() {
    local name="$1" skip="$2" n; shift 2
    if [ -n "${THREADS:-}" ]; then
      for n in $THREADS; do
        measure "$name, $n threads" "$skip" env OPENBLAS_NUM_THREADS="$n" "${torch[@]}" "$@" --threads "$n"
        [ "$n" = 1 ] || measure "$name, intra-op 1 + OpenBLAS $n, $n threads" "$skip" \
          env OPENBLAS_NUM_THREADS="$n" "${torch[@]}" "$@" --threads 1
      done
    else
      n="$(nproc)"
      measure "$name, intra-op 1" "$skip" "${torch[@]}" "$@" --threads 1
      [ "$n" = 1 ] || measure "$name, intra-op $n" "$skip" "${torch[@]}" "$@" --threads "$n"
    fi
  }
  dl4j=("${peers[@]}" OMP_NUM_THREADS=1 java -Xmx4g -cp "$here/bench/dl4j/target/classes:$here/bench/dl4j/target/dependency/*"
        bench.Dl4jCharLstm "$corpus" 2)
  echo "corpus: $corpus; $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs));" \
       "$repeats rounds; $(java -version 2>&1 | head -1); ${py:+torch $("$py" -c 'import torch; print(torch.__version__)')}" >&2
  for round in $(seq "$repeats"); do
    echo "round $round of $repeats" >&2
    for spec in "128 400 50 100 20 4" "256 160 20 40 8 3" "512 60 10 16 4 3"; do
      read -r h n log tn tlog dn <<<"$spec"
      measure_charrnn "charrnn lstm H=$h" 2 "${deep[@]}" "$corpus" --cell lstm --hidden-size "$h" --max-iterations "$n" \
        --log-every "$log"
      [ "${ONEHOT:-1}" != 1 ] || measure_charrnn "charrnn lstm H=$h, one-hot" 2 "${deep[@]}" "$corpus" --cell lstm --hidden-size "$h" \
        --embedding-size 0 --loss sum --max-iterations "$n" --log-every "$log"
      if [ -n "$py" ]; then
        measure_torch "torch lstm H=$h, embedding" 2 --hidden-size "$h" --input embed \
          --max-iterations "$tn" --log-every "$tlog"
        [ "${ONEHOT:-1}" != 1 ] || measure_torch "torch lstm H=$h, one-hot" 2 --hidden-size "$h" --input onehot \
          --max-iterations "$tn" --log-every "$tlog"
      fi
      [ "$peers_on" != 1 ] || [ "${DL4J:-1}" != 1 ] || measure "dl4j lstm H=$h" 1 "${dl4j[@]}" "$h" 50 50 "$dn"
    done
    measure_charrnn "charrnn gru H=256" 2 "${deep[@]}" "$corpus" --cell gru --hidden-size 256 --max-iterations 160 --log-every 20
    if [ -n "$py" ]; then
      measure_torch "torch gru H=256, embedding" 2 --cell gru --hidden-size 256 --input embed \
        --max-iterations 40 --log-every 8
    fi
  done
  VOCAB="$(python3 -c 'import sys; print(len(set(open(sys.argv[1], encoding="utf-8").read())))' "$corpus")" \
    python3 - "$work" <<'PY'
import os, statistics, sys
work = sys.argv[1]
names = [n.strip() for n in open(os.path.join(work, 'names'))]
rows = {}
for name in names:
    rates = [float(x) for x in open(os.path.join(work, name + '.rates'))]
    rss = max(int(x) for x in open(os.path.join(work, name + '.rss')))
    rows[name] = (statistics.median(rates), min(rates), max(rates), rss, len(rates))
print()
print('| run | chars/s (median) [range] | charrnn vs it | peak RSS | intervals |')
print('| --- | ---: | ---: | ---: | ---: |')
def ours_for(name):
    # charrnn's row of the same cell, H, input (embedding: charrnn's default) and thread count
    h = name.split('H=')[1].split(',')[0]
    threads = ''.join(', ' + p.strip() for p in name.split(',') if p.strip().endswith('threads'))
    same = 'charrnn %s H=%s%s%s' % (name.split()[1], h, ', one-hot' if 'one-hot' in name else '', threads)
    return rows.get(same, rows.get('charrnn %s H=%s%s' % (name.split()[1], h, threads)))
for name, (r, lo, hi, rss, count) in rows.items():
    ours = ours_for(name)
    ratio = '' if name.startswith('charrnn') or ours is None else '%.2f×' % (ours[0] / r)
    print('| %s | %.0f [%.0f–%.0f] | %s | %s | %d |' % (name, r, lo, hi, ratio,
                                                     '%.0f MiB' % (rss / 1024) if rss else 'n/a', count))
# PyTorch at its best: of the torch rows that differ only in PyTorch's thread setting, the fastest
best = {}
for name, row in rows.items():
    if not name.startswith('torch'):
        continue
    parts = [p.strip() for p in name.split(',')]
    setting = ', '.join(p for p in parts if p.startswith('intra-op')) or 'intra-op N + OpenBLAS N'
    key = ', '.join(p for p in parts if not p.startswith('intra-op'))
    if key not in best or row[0] > best[key][1][0]:
        best[key] = (setting, row, name)
if best:
    print()
    print('| PyTorch at its best | its fastest setting | chars/s | charrnn | charrnn vs it |')
    print('| --- | --- | ---: | ---: | ---: |')
    for key, (setting, row, name) in best.items():
        ours = ours_for(name)
        print('| %s | %s | %.0f | %s | %s |' % (key, setting, row[0], '%.0f' % ours[0] if ours else 'n/a',
                                             '%.2f×' % (ours[0] / row[0]) if ours else 'n/a'))
# time per parameter: an LSTM layer has 4 gate blocks of H rows, a GRU layer 3 (and bn)
def params(cell, h, v, layers=2):
    g = 4 if cell == 'lstm' else 3
    n = sum(g * h * ((v if k == 0 else h) + h + 1) + (h if cell == 'gru' else 0) for k in range(layers))
    return n + v * h + v
v = int(os.environ.get('VOCAB', '65'))
if 'charrnn gru H=256' in rows and 'charrnn lstm H=256' in rows:
    per = lambda cell: 1.0 / (rows['charrnn %s H=256' % cell][0] * params(cell, 256, v))
    print()
    print('time per parameter, GRU / LSTM at H=256: %.2f' % (per('gru') / per('lstm')))
PY
  exit 0
fi

# through the launcher, with the settings a user gets (its peak RSS is Java's: the launcher waits for it)
charrnn=("$here/charrnn" train --sample-every 0 --checkpoint-every 0 --checkpoint-dir "$work/ck" --overwrite)
numpy=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$here/bench/min_char_rnn.py" "$corpus")

echo "corpus: $corpus; $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs));" \
     "$repeats rounds; $(java -version 2>&1 | head -1);" \
     "numpy $(python3 -c 'import numpy; print(numpy.__version__)')" >&2
# every program once per round, so that all of them see the same moments of a shared machine
for round in $(seq "$repeats"); do
  echo "round $round of $repeats" >&2
  measure_charrnn "charrnn H=100"        3 "${charrnn[@]}" "$corpus" --hidden-size 100 --max-iterations 24001 --log-every 2000
  measure "numpy H=100"          2 "${numpy[@]}" 100 2400 200
  measure_charrnn "charrnn H=512"        3 "${charrnn[@]}" "$corpus" --hidden-size 512 --max-iterations 3001 --log-every 250
  measure_charrnn "charrnn H=512 float"  3 "${charrnn[@]}" "$corpus" --hidden-size 512 --max-iterations 4501 \
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
  measure_charrnn "charrnn H=100, 1 GB file" 3 "${charrnn[@]}" "$work/big.txt" --hidden-size 100 --max-iterations 24001 \
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
