#!/usr/bin/env bash
# Cross-process measurements of logbuf's shared (mapped-file) rings, writing
# raw results to logbuf-bench/results/ipc/ and a summary to
# logbuf-bench/results/ipc/summary.md. Builds nothing: it runs the bench's
# shaded jar (logbuf-bench/target/benchmarks.jar, from a copy, as run-all.sh
# does), so build first:
#   mvn -B -pl logbuf-queue,logbuf-channel,logbuf-bench -am package -DskipTests
#
# 1. throughput (dev.logbuf.bench.IpcThroughput): a consumer JVM and a
#    producer JVM over a 2 MiB ring in a file under logbuf-bench/target/ipc;
#    scenarios spsc and mpsc1 (MPSC, one producer), sizes random (8..1024 B)
#    and 64, subjects logbuf and agrona. ROUNDS rounds (default 6); in each
#    round every (scenario, size) runs both subjects, each in fresh processes,
#    the order of the two flipping every round. Per run: 2 s warm-up, 5
#    iterations of 1 s. About 8 minutes for 6 rounds.
# 2. wake-up latency (dev.logbuf.bench.IpcWakeup): a producer JVM writes a
#    timestamped 64-byte record every 0.5..1.5 ms; a consumer JVM polls with
#    each backoff (BACKOFFS) and records the latency and its CPU time.
#    WAKEUP_ROUNDS rounds (default 4), the backoffs' order rotating every
#    round; per run: 2 s warm-up, 10 s measured. About 7 minutes.
#
# The machine is shared: before each part the script waits (at most
# LOAD_WAIT seconds) until the 1-minute load average is below MAX_LOAD, and
# before each run (at most IDLE_WAIT seconds) until the CPUs are at least
# IDLE_PCT% idle over one second; it logs what it saw to results/ipc/idle.txt.
# Every result file also carries /proc/loadavg before and after its run and
# otherCpuShare: the share of the machine's CPU that processes other than the
# run's own used during the run (from /proc/stat, less the run's JVMs' CPU
# time); the summary shows its maximum per row, so a run disturbed by another
# job is visible. A run in which other processes took more than MAX_OTHER
# (default 0.10) of the machine's CPU is kept as <name>.json.disturbed-<n>
# (which the summary skips) and run again, up to RETRIES (3) more times; the
# last attempt is kept whatever it saw.
#
# Usage (from the repository root):
#   [ROUNDS=6] [WAKEUP_ROUNDS=4] [JAVA=java] [IPC_JVM_ARGS=...] logbuf-bench/scripts/ipc.sh [throughput|wakeup|all]
# Other knobs (environment): OUT (results directory), WARMUP, ITERATIONS,
# ITERATION (throughput), WAKEUP_WARMUP, WAKEUP_DURATION, BACKOFFS (wake-up),
# MAX_LOAD, LOAD_WAIT, IDLE_PCT, IDLE_WAIT, MAX_OTHER, RETRIES, RINGS (where the
# ring files go; default logbuf-bench/target/ipc, e.g. /dev/shm/ipc for tmpfs).
# IPC_JVM_ARGS adds JVM options to every child JVM (they always get
# -Xms1g -Xmx1g --add-exports java.base/jdk.internal.misc=ALL-UNNAMED).
set -euo pipefail
WHAT=${1:-all}
ROUNDS=${ROUNDS:-6}
WAKEUP_ROUNDS=${WAKEUP_ROUNDS:-4}
JAVA=${JAVA:-java}
WARMUP=${WARMUP:-2s}
ITERATIONS=${ITERATIONS:-5}
ITERATION=${ITERATION:-1s}
WAKEUP_WARMUP=${WAKEUP_WARMUP:-2s}
WAKEUP_DURATION=${WAKEUP_DURATION:-10s}
BACKOFFS=${BACKOFFS:-"spinning yielding parking-1us parking-50us parking-1ms progressive agrona-backoff"}
MAX_LOAD=${MAX_LOAD:-1.5}
LOAD_WAIT=${LOAD_WAIT:-300}
IDLE_PCT=${IDLE_PCT:-80}
IDLE_WAIT=${IDLE_WAIT:-60}
MAX_OTHER=${MAX_OTHER:-0.10}
RETRIES=${RETRIES:-3}
OUT=${OUT:-logbuf-bench/results/ipc}
RINGS=${RINGS:-logbuf-bench/target/ipc}
# run from a copy, so that a concurrent build of the tree cannot swap the jar mid-run
JAR=$(mktemp -d)/benchmarks.jar
cp logbuf-bench/target/benchmarks.jar "$JAR"
mkdir -p "$OUT/throughput" "$OUT/wakeup" "$RINGS"
rm -f "$RINGS"/*.ring   # left by a run that was killed

# other processes' share of the machine's CPU during the run in result file $1
other_share() {
  python3 -c 'import json, sys; v = json.load(open(sys.argv[1])).get("otherCpuShare"); print(0 if v is None else v)' "$1"
}

# run_measured NAME JSON LOG COMMAND...: runs COMMAND (which writes JSON) after
# waiting for an idle machine, again while other processes disturbed it
run_measured() {
  local name=$1 json=$2 log=$3 attempt share
  shift 3
  for attempt in $(seq 0 "$RETRIES"); do
    wait_idle "$name"
    echo "$(date -u +%T) $name (attempt $((attempt + 1)))"
    "$@" > "$log" 2>&1 || { echo "FAILED: $name (see $log)"; tail -20 "$log"; exit 1; }
    share=$(other_share "$json")
    echo "$(date -u +%FT%TZ) $name other processes' CPU share=$share" >> "$OUT/idle.txt"
    if awk -v s="$share" -v m="$MAX_OTHER" 'BEGIN { exit !(s <= m) }' || (( attempt == RETRIES )); then
      return
    fi
    mv "$json" "$json.disturbed-$((attempt + 1))"
    echo "   disturbed (other processes took $share of the CPU): again"
  done
}

# idle_pct: percentage of CPU time idle over one second
source "$(dirname "$0")/idle.sh"

wait_load() {
  local start=$SECONDS load
  load=$(cut -d' ' -f1 /proc/loadavg)
  while awk -v l="$load" -v m="$MAX_LOAD" 'BEGIN { exit !(l >= m) }' && (( SECONDS - start < LOAD_WAIT )); do
    sleep 5
    load=$(cut -d' ' -f1 /proc/loadavg)
  done
  echo "$(date -u +%FT%TZ) $1 load1=${load} (max ${MAX_LOAD}) waited=$((SECONDS - start))s" >> "$OUT/idle.txt"
}

{
  echo "== start: $(date -u +%FT%TZ)"
  echo "uptime: $(uptime)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"
  echo "kernel: $(uname -r)"
  echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null || echo '?')"
  echo "timer_slack_ns (this shell): $(cat /proc/self/timerslack_ns 2>/dev/null || echo '?')"
  echo "ring files on: $(df -T "$RINGS" | awk 'NR==2 { print $2 }')"
  echo "java: $("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "IPC_JVM_ARGS: ${IPC_JVM_ARGS:-}"
  echo "what: $WHAT; rounds: $ROUNDS (warm-up $WARMUP, $ITERATIONS x $ITERATION); wake-up rounds: $WAKEUP_ROUNDS (warm-up $WAKEUP_WARMUP, $WAKEUP_DURATION); backoffs: $BACKOFFS"
} >> "$OUT/machine.txt"

if [[ $WHAT == all || $WHAT == throughput ]]; then
  wait_load throughput
  for round in $(seq 1 "$ROUNDS"); do
    if (( round % 2 == 1 )); then subjects=(logbuf agrona); else subjects=(agrona logbuf); fi
    for scenario in spsc mpsc1; do
      for size in random 64; do
        for subject in "${subjects[@]}"; do
          name="$round-$scenario-$size-$subject"
          run_measured "throughput $name" "$OUT/throughput/$name.json" "$OUT/throughput/$name.log" \
            "$JAVA" -Xmx256m -cp "$JAR" dev.logbuf.bench.IpcThroughput --scenario "$scenario" --subject "$subject" \
            --size "$size" --warmup "$WARMUP" --iterations "$ITERATIONS" --iteration "$ITERATION" --dir "$RINGS" \
            --round "$round" --out "$OUT/throughput/$name.json"
        done
      done
    done
  done
fi

if [[ $WHAT == all || $WHAT == wakeup ]]; then
  wait_load wakeup
  read -r -a backoffs <<< "$BACKOFFS"
  n=${#backoffs[@]}
  for round in $(seq 1 "$WAKEUP_ROUNDS"); do
    for i in $(seq 0 $((n - 1))); do
      backoff=${backoffs[$(( (i + round - 1) % n ))]}
      name="$round-$backoff"
      run_measured "wakeup $name" "$OUT/wakeup/$name.json" "$OUT/wakeup/$name.log" \
        "$JAVA" -Xmx256m -cp "$JAR" dev.logbuf.bench.IpcWakeup --backoff "$backoff" --interval 1ms \
        --warmup "$WAKEUP_WARMUP" --duration "$WAKEUP_DURATION" --dir "$RINGS" --round "$round" \
        --out "$OUT/wakeup/$name.json"
    done
  done
fi

echo "end: $(date -u +%FT%TZ) uptime: $(uptime)" >> "$OUT/machine.txt"
python3 "$(dirname "$0")/ipc-summary.py" "$OUT" | tee "$OUT/summary.md"
