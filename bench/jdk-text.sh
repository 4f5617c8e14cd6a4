#!/usr/bin/env bash
# A large text for bench/compress.sh made from what Debian ships: the Java sources of the JDK's java.base
# module (package openjdk-17-source: apt-get install openjdk-17-source), every .java file in name order
# (C collation), concatenated and cut at 20,000,000 bytes.
#
# usage: bench/jdk-text.sh OUT        (then: bench/compress.sh OUT)
set -euo pipefail
out=${1:?usage: bench/jdk-text.sh OUT}
src=$(ls /usr/lib/jvm/openjdk-17/lib/src.zip 2>/dev/null || true)
[ -n "$src" ] || { echo "bench/jdk-text.sh: no JDK 17 sources: apt-get install openjdk-17-source" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
unzip -q "$src" 'java.base/*' -d "$work"
(cd "$work" && find java.base -name '*.java' | LC_ALL=C sort | xargs cat 2> /dev/null) | head -c 20000000 > "$out" || true
[ "$(stat -c %s "$out")" -eq 20000000 ] || { echo "bench/jdk-text.sh: $out is not 20,000,000 bytes" >&2; exit 1; }
echo "$out: 20,000,000 bytes of java.base's sources ($(sha256sum "$out" | cut -c1-16))"
