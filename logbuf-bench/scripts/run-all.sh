#!/usr/bin/env bash
# Runs the whole suite the way docs/BENCHMARKS.md reports it, writing JMH's
# JSON to logbuf-bench/results/ (about 30 minutes on a 2-core machine).
#
# Throughput runs in ROUNDS rounds; a round runs every (scenario, size,
# subject) once, as its own one-fork JMH run, so subjects alternate and a slow
# spell of the machine (other builds, the bimodal cross-core placement seen
# fork to fork) falls on all subjects alike. chart.py pools the forks and
# takes the median of the per-fork scores.
#
# The machine is shared: before each run the script waits (at most
# IDLE_WAIT seconds) until the CPUs are at least IDLE_PCT% idle, and logs
# what it saw to results/idle.log.
#
# Each round also runs the realistic consumer (Throughput's reader=crc32c: a
# CRC32C over every payload byte) for logbuf and Agrona, into results/checksum/.
#
# SHORT=1 keeps the throughput rounds as they are and shortens the rest:
# single-thread in average time only with FORKS forks (default 3), fewer
# ping-pong iterations, channel overhead at 64 and 1024 bytes only, shorter
# wake-up runs. The runs behind docs/BENCHMARKS.md are
# `SHORT=1 FORKS=5 logbuf-bench/scripts/run-all.sh 5`, once per JDK.
#
# JAVA picks the JVM (default: java on the PATH), OUT the results directory
# (default logbuf-bench/results; the JDK 25 figures live in results/jdk25).
#
# Usage: [SHORT=1] [FORKS=n] [JAVA=...] [OUT=...] logbuf-bench/scripts/run-all.sh [ROUNDS]
# (from the repository root, after:
#  mvn -B -pl logbuf-queue,logbuf-channel,logbuf-bench -am package -DskipTests)
set -euo pipefail
ROUNDS=${1:-3}
FORKS=${FORKS:-3}
if [[ ${SHORT:-0} == 1 ]]; then
  SINGLE=(-bm avgt -f "$FORKS" -wi 2 -w 500ms -i 3 -r 500ms)
  PING=(-f "$FORKS" -wi 2 -w 1s -i 3 -r 1s)
  OVERHEAD=(-p size=64,1024 -f "$FORKS" -wi 2 -w 500ms -i 3 -r 500ms)
  WAKEUP=(-f "$FORKS" -wi 1 -w 1s -i 3 -r 2s)
else
  SINGLE=(-bm avgt,sample -f 2 -wi 2 -w 500ms -i 3 -r 500ms)
  PING=(-f 3 -wi 2 -w 1s -i 4 -r 1s)
  OVERHEAD=(-f 3 -wi 3 -w 1s -i 5 -r 1s)
  WAKEUP=(-f 3 -wi 2 -w 1s -i 5 -r 2s)
fi
OUT=${OUT:-logbuf-bench/results}
JAVA=${JAVA:-java}
IDLE_PCT=${IDLE_PCT:-80}
IDLE_WAIT=${IDLE_WAIT:-10}
# run from a copy, so that a concurrent build of the tree cannot swap the jar mid-run
JAR=$(mktemp -d)/benchmarks.jar
cp logbuf-bench/target/benchmarks.jar "$JAR"
mkdir -p "$OUT/throughput" "$OUT/checksum"

# idle_pct: percentage of CPU time idle over one second
source "$(dirname "$0")/idle.sh"

# wait_idle (idle.sh) logs to results/idle.log here
IDLE_LOG="$OUT/idle.log"

# one throughput run as its own one-fork JMH run: throughput DIR READER GROUP SIZE SUBJECT ROUND
throughput() {
  local dir=$1 reader=$2 group=$3 size=$4 subject=$5 round=$6
  local name="$round-$group-$size-$subject"
  wait_idle "$dir $name"
  "$JAVA" -jar "$JAR" "Throughput.$group\$" -p subject="$subject" -p size="$size" -p reader="$reader" \
    -f 1 -wi 2 -w 1s -i 3 -r 1s -foe true \
    -rf json -rff "$OUT/$dir/$name.json" > "$OUT/$dir/$name.log" 2>&1
}

for round in $(seq 1 "$ROUNDS"); do
  for group in spsc mpsc1 mpsc2; do
    for size in random 64; do
      for subject in logbuf agrona jctools abq channel; do
        throughput throughput verify "$group" "$size" "$subject" "$round"
      done
    done
  done
  # the realistic consumer: a CRC32C over every payload byte, byte rings only
  for group in spsc mpsc1; do
    for size in random 64; do
      for subject in logbuf agrona; do
        throughput checksum crc32c "$group" "$size" "$subject" "$round"
      done
    done
  done
done
wait_idle single-thread
"$JAVA" -jar "$JAR" 'SingleThread' "${SINGLE[@]}" -foe true \
  -rf json -rff "$OUT/single-thread.json" > "$OUT/single-thread.log" 2>&1
wait_idle ping-pong
"$JAVA" -jar "$JAR" 'PingPong' "${PING[@]}" -foe true \
  -rf json -rff "$OUT/ping-pong.json" > "$OUT/ping-pong.log" 2>&1
# logbuf-channel: per-record overhead over the raw queue on one thread, and the
# wake-up latency of a parked receiver (with a spinning one for comparison)
wait_idle channel-overhead
"$JAVA" -jar "$JAR" 'ChannelOverhead' "${OVERHEAD[@]}" -foe true \
  -rf json -rff "$OUT/channel-overhead.json" > "$OUT/channel-overhead.log" 2>&1
wait_idle channel-wakeup
"$JAVA" -jar "$JAR" 'ChannelWakeup' "${WAKEUP[@]}" -foe true \
  -rf json -rff "$OUT/channel-wakeup.json" > "$OUT/channel-wakeup.log" 2>&1
# allocation of the logbuf subjects on every hot path
wait_idle gc
"$JAVA" -jar "$JAR" 'Throughput|SingleThread|PingPong' -p subject=logbuf,logbuf-claim -bm avgt \
  -prof gc -f 1 -wi 2 -w 500ms -i 3 -r 500ms -foe true \
  -rf json -rff "$OUT/gc.json" > "$OUT/gc.log" 2>&1
# the same for the channel benchmarks; 2 s iterations, because the wake-up
# benchmark makes only tens of thousands of operations a second and JMH's own
# per-iteration allocation would otherwise show up as bytes per operation
wait_idle gc-channel
"$JAVA" -jar "$JAR" 'ChannelOverhead|ChannelWakeup|Throughput' -p subject=channel \
  -prof gc -f 1 -wi 2 -w 500ms -i 3 -r 2s -foe true \
  -rf json -rff "$OUT/gc-channel.json" > "$OUT/gc-channel.log" 2>&1
