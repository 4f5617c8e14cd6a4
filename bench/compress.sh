#!/usr/bin/env bash
# charrnn compress against the classical compressors, side by side in one run: for each file, the size
# in bits per byte, the speed both ways (KB/s of the original) and the most resident memory either way took
# (MB), every round trip checked byte for byte.
#
# usage: bench/compress.sh FILE...          (default: corpus/input.txt)
#   REPEATS=1   runs of each tool per file; a speed is the median of them (sizes do not vary)
#   THREADS=    charrnn's --threads (default: its own, the cores)
#   MODEL=CHECKPOINT   also run charrnn compress --model CHECKPOINT (a trained model mixed in)
#   LSTM_COMPRESS=PATH, CMIX=PATH   also run these neural compressors (built from their public sources;
#               never part of the repository), on files of at most SLOW_MAX bytes (default 2,000,000)
# Peers (Debian's packages; a missing one is named and skipped): xz -9e, zstd --ultra -22 --long=27,
# bzip2 -9, brotli -q 11 --large_window=30, gzip -9. A large text: bench/jdk-text.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$here/corpus/input.txt")
repeats=${REPEATS:-1}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/charrnn" --version > /dev/null   # built before any clock starts

# name | compress command (IN OUT) | decompress command (IN OUT)
threads=${THREADS:+--threads $THREADS}
tools=(
  "charrnn|$here/charrnn compress -q $threads IN -o OUT|$here/charrnn decompress -q $threads IN -o OUT"
  "xz -9e|xz -9e -T1 -c IN > OUT|xz -d -c IN > OUT"
  "zstd -22 --long=27|zstd -q --ultra -22 --long=27 -T1 -c IN > OUT|zstd -q -d --long=27 -c IN > OUT"
  "bzip2 -9|bzip2 -9 -c IN > OUT|bzip2 -d -c IN > OUT"
  "brotli -q 11|brotli -q 11 --large_window=30 -c IN > OUT|brotli -d --large_window=30 -c IN > OUT"
  "gzip -9|gzip -9 -c IN > OUT|gzip -d -c IN > OUT"
)

[ -z "${MODEL:-}" ] || tools=("${tools[0]}" "charrnn --model|$here/charrnn compress -q $threads --model $MODEL IN -o OUT|$here/charrnn decompress -q $threads --model $MODEL IN -o OUT" "${tools[@]:1}")
slow_max=${SLOW_MAX:-2000000}
[ -z "${LSTM_COMPRESS:-}" ] || tools+=("lstm-compress|$LSTM_COMPRESS -c IN OUT|$LSTM_COMPRESS -d IN OUT")
[ -z "${CMIX:-}" ] || tools+=("cmix|$CMIX -c IN OUT|$CMIX -d IN OUT")

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# seconds CMD: runs it, prints its wall-clock seconds; the most resident memory of it (KB) goes to $work/rss
seconds() {
  local s e
  s=$(date +%s.%N)
  /usr/bin/time -f %M -o "$work/rss.one" bash -c "$1" > /dev/null   # (what a tool says on stdout)
  e=$(date +%s.%N)
  cat "$work/rss.one" >> "$work/rss"
  echo "$e - $s" | bc -l
}

echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)); $(java -version 2>&1 | head -1)"
for file in "${files[@]}"; do
  bytes=$(stat -c %s "$file")
  echo
  echo "$(basename "$file"), $bytes bytes"
  echo
  echo "| tool | bits per byte | compress KB/s | decompress KB/s | memory, MB |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  for entry in "${tools[@]}"; do
    IFS='|' read -r name pack unpack <<< "$entry"
    if ! command -v "${name%% *}" > /dev/null && [ "$name" != charrnn ] && [[ "$pack" != /* ]]; then
      echo "| $name | not installed | | | |"
      continue
    fi
    if [[ "$name" == lstm-compress || "$name" == cmix ]] && [ "$bytes" -gt "$slow_max" ]; then
      echo "| $name | (not run: more than $slow_max bytes) | | | |"
      continue
    fi
    c=(); d=(); : > "$work/rss"
    for ((r = 0; r < repeats; r++)); do
      rm -f "$work/packed" "$work/back"
      c+=("$(seconds "$(echo "$pack" | sed "s|IN|'$file'|; s|OUT|'$work/packed'|")")")
      d+=("$(seconds "$(echo "$unpack" | sed "s|IN|'$work/packed'|; s|OUT|'$work/back'|")")")
      cmp -s "$file" "$work/back" || { echo "bench/compress.sh: $name did not give $file back" >&2; exit 1; }
    done
    size=$(stat -c %s "$work/packed")
    cs=$(printf '%s\n' "${c[@]}" | median)
    ds=$(printf '%s\n' "${d[@]}" | median)
    rss=$(sort -n "$work/rss" | tail -1)
    printf '| %s | %.3f | %.0f | %.0f | %.0f |\n' "$name" "$(echo "8 * $size / $bytes" | bc -l)" \
      "$(echo "$bytes / 1000 / $cs" | bc -l)" "$(echo "$bytes / 1000 / $ds" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
  done
done
