#!/usr/bin/env bash
# Measures what a change costs: the same benchmarks from two builds of
# logbuf-bench (before and after the change), alternated in time so a slow
# spell of the shared machine falls on both alike. Each round runs, for each
# build (the order flips every round), SingleThread in average time and the
# cross-thread Throughput groups, one fork per JMH run, Agrona in the same
# run as a yardstick. compare-builds.py then prints medians per build and the
# after/before ratio of medians.
#
# Usage (from the repository root):
#   logbuf-bench/scripts/compare-builds.sh BEFORE.jar AFTER.jar OUT_DIR [ROUNDS]
set -euo pipefail
BEFORE=$1
AFTER=$2
OUT=$3
ROUNDS=${4:-3}
mkdir -p "$OUT"
# copies, so that a rebuild of the tree cannot swap a jar mid-run
WORK=$(mktemp -d)
cp "$BEFORE" "$WORK/before.jar"
cp "$AFTER" "$WORK/after.jar"

single() { # build round
  java -jar "$WORK/$1.jar" 'SingleThread' -bm avgt -p subject=logbuf,logbuf-claim,agrona -p size=64,1024 \
    -f 1 -wi 3 -w 500ms -i 5 -r 500ms -foe true \
    -rf json -rff "$OUT/single-$1-$2.json" > "$OUT/single-$1-$2.log" 2>&1
}

throughput() { # build round
  for group in spsc mpsc1 mpsc2; do
    java -jar "$WORK/$1.jar" "Throughput.$group\$" -p subject=logbuf,agrona -p size=random \
      -f 1 -wi 2 -w 1s -i 3 -r 1s -foe true \
      -rf json -rff "$OUT/throughput-$group-$1-$2.json" > "$OUT/throughput-$group-$1-$2.log" 2>&1
  done
}

for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 == 1 )); then order=(before after); else order=(after before); fi
  for build in "${order[@]}"; do
    echo "$(date -u +%T) round $round: $build single-thread"
    single "$build" "$round"
    echo "$(date -u +%T) round $round: $build throughput"
    throughput "$build" "$round"
  done
done
python3 "$(dirname "$0")/compare-builds.py" "$OUT"
