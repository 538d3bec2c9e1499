#!/usr/bin/env bash
# Fuzzes the @FuzzTest targets one at a time (docs/FUZZING.md).
#
#   scripts/fuzz.sh [PATTERN] [ROUNDS]
#
# PATTERN (a grep -E expression, default: all) selects targets from the list below; each runs ROUNDS times
# (default 1) for the maxDuration of its @FuzzTest (60 s), resuming from the inputs it found before (kept in
# MODULE/.cifuzz-corpus/). A finding stops that target and is stored as a new input in its
# src/test/resources/.../<Class>Inputs/<method>/ directory, so the next ./mvnw verify replays it. Logs go to
# target/fuzz/; a summary line per target gives the executions run and the outcome.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PATTERN="${1:-.}"
ROUNDS="${2:-1}"
TARGETS=(
    "scaleml-graph GraphReaderFuzzTest#dimacs"
    "scaleml-graph GraphReaderFuzzTest#pace"
    "scaleml-graph GraphReaderFuzzTest#snap"
    "scaleml-graph GraphReaderFuzzTest#mtx"
    "scaleml-graph GraphReaderFuzzTest#dimacsCoordinates"
    "scaleml-bp BpReaderFuzzTest#uai"
    "scaleml-bp BpReaderFuzzTest#evidence"
    "scaleml-bp BpReaderFuzzTest#mar"
    "scaleml-bp BpReaderFuzzTest#alist"
    "scaleml-train DataReaderFuzzTest#idx"
    "scaleml-train DataReaderFuzzTest#libsvm"
    "scaleml-train DataReaderFuzzTest#csv"
    "scaleml-train CheckpointFuzzTest#decode"
    "scaleml-comm FrameFuzzTest#frames"
    "scaleml-comm HandshakeFuzzTest#server"
    "scaleml-comm HandshakeFuzzTest#client"
    "scaleml-comm CodecFuzzTest#decode"
)
mkdir -p "$ROOT/target/fuzz"
cd "$ROOT" || exit 2
status=0
for t in "${TARGETS[@]}"; do
    read -r module test <<<"$t"
    echo "$test" | grep -Eq -- "$PATTERN" || continue
    for round in $(seq 1 "$ROUNDS"); do
        log="target/fuzz/${test/\#/.}.$round.log"
        start=$(date +%s)
        ./mvnw -o -q -Pfuzz -pl "$module" -am verify -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
            >"$log" 2>&1
        rc=$?
        secs=$(( $(date +%s) - start ))
        execs=$(grep -a 'stat::number_of_executed_units' "$log" | awk '{print $2}')
        [ -n "$execs" ] || execs=$(grep -aEo '^#[0-9]+' "$log" | tail -1 | tr -d '#')
        if [ "$rc" -eq 0 ]; then
            outcome="no finding"
        else
            outcome="FINDING or failure (exit $rc): $(grep -a -m1 -E 'FuzzTestFinding|Caused by|ERROR\]   ' "$log" | cut -c1-200)"
            status=1
        fi
        echo "$test round $round: ${execs:-?} executions in ${secs} s (including the build): $outcome; log $log"
        [ "$rc" -eq 0 ] || break
    done
done
exit $status
