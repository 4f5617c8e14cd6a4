#!/usr/bin/env bash
# Fuzzes the readers of untrusted bytes with Jazzer (coverage-guided, libFuzzer's engine), one target
# after another, each for DURATION:
#   bench/fuzz.sh [DURATION] [TARGET...]      e.g. bench/fuzz.sh 10m, bench/fuzz.sh 30s Utf8FuzzTest#utf8
# DURATION is libFuzzer's (10m, 90s, 1h; default 10m). The targets (default: all eight):
#   CheckpointFuzzTest#checkpointFile  CheckpointFuzzTest#npy  CheckpointFuzzTest#metaJson
#   Utf8FuzzTest#utf8  MetricsCsvFuzzTest#metricsCsv  CrnnFuzzTest#header  CrnnFuzzTest#decompress
#   CrnnFuzzTest#roundTrip
# The JVM gets a 512 MiB heap and ND4J's native memory a 1 GiB cap, so that reading more than the readers'
# bound is a finding (an OutOfMemoryError), not a slow machine. New inputs that widen coverage go to
# .cifuzz-corpus/ (not committed); an input that breaks the property goes to the target's folder under
# src/test/resources/.../<Class>Inputs/<target>/, where `mvn test` replays it from then on: fix the reader,
# keep the input. Each target's log is target/fuzz/<target>.log; the summary names executions and findings.
set -uo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10m}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(CheckpointFuzzTest#checkpointFile CheckpointFuzzTest#npy CheckpointFuzzTest#metaJson
           Utf8FuzzTest#utf8 MetricsCsvFuzzTest#metricsCsv CrnnFuzzTest#header
           CrnnFuzzTest#decompress CrnnFuzzTest#roundTrip)
fi
mkdir -p target/fuzz
mvn -q -B test-compile >/dev/null || exit 1
status=0
for target in "${targets[@]}"; do
  log="target/fuzz/${target/\#/.}.log"
  echo "fuzzing $target for $duration (log: $log)" >&2
  # (only the fuzz-inputs execution of surefire: the others would run the rest of the tests first)
  JAZZER_FUZZ=1 mvn -B surefire:test@fuzz-inputs -Dfuzz.tests="$target" -Djazzer.max_duration="$duration" \
    -Dfuzz.argLine="-Xmx512m -Dorg.bytedeco.javacpp.maxphysicalbytes=1g -Dorg.bytedeco.javacpp.maxbytes=512m" \
    -Djunit.jupiter.execution.timeout.mode=disabled >"$log" 2>&1
  code=$?
  # libFuzzer's last status line: "#N DONE cov: ... exec/s: ..." or "Done N runs in S second(s)"
  runs=$(grep -aoE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)
  stats=$(grep -aE '^#[0-9]+' "$log" | tail -1)
  if [ $code -eq 0 ]; then
    echo "$target: no findings; ${runs:-?} (${stats:-no libFuzzer status line})"
  else
    status=1
    echo "$target: FINDING (exit $code); see $log"
    grep -aE 'Exception|Error|==[0-9]+==' "$log" | head -5
  fi
done
exit $status
