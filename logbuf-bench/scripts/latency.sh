#!/usr/bin/env bash
# The hot thread's send latency (issue 23, target 3): runs
# dev.logbuf.bench.SendLatency in rounds, one fresh JVM per (configuration,
# subject, round), and summarises them (scripts/latency-summary.py) into
# OUT/summary.md. Builds nothing: it runs a copy of the bench's shaded jar, so
# build first:
#   mvn -B -pl logbuf-queue,logbuf-channel,logbuf-bench -am package -DskipTests
#
# A configuration is PRODUCERS-SIZE-RATE: 1-64-1M is one producer, 64-byte
# records, 1 M records/s offered (all producers together); RATE max is
# saturation (no pacing, service time only). CONFIGS runs in the order given,
# so put the ones that matter first; within a configuration, ROUNDS rounds,
# each running every subject once, the subjects' order rotating by one every
# round so that none is always first or last. Per run: WARMUP (3s) at the
# rate, then DURATION (10s) recorded; about 15 s with the JVM's start.
#
# The machine is shared. Before each run the script waits (at most IDLE_WAIT
# seconds) until the CPUs are IDLE_PCT% idle over one second and logs what it
# saw to OUT/idle.txt. Every run reports the share of the machine's CPU other
# processes took during its measured window (otherCpu; 0.5 on two cores is a
# whole core); a run above MAX_OTHER (0.10) is set aside as
# <run>.txt.disturbed-<n> and run again, up to RETRIES (1) more times; the
# last attempt is kept whatever it saw. The summary pools the undisturbed runs
# in one table and the disturbed ones (set aside or kept) in another. A run whose result is already there and undisturbed is not
# run again, so the same command resumes an interrupted run, or re-runs only
# the disturbed ones (KEEP_DISTURBED=1: only resumes, keeping disturbed runs
# too; for a machine that stays busy, with RETRIES=0).
#
# Usage (from the repository root):
#   [ROUNDS=3] [CONFIGS="1-64-1M 1-512-1M 2-64-1M"] [SUBJECTS="logbuf channel ..."] \
#   [WARMUP=3s] [DURATION=10s] [JAVA=java] [OUT=logbuf-bench/results/latency] \
#   [MAX_OTHER=0.10] [RETRIES=1] [IDLE_PCT=80] [IDLE_WAIT=30] logbuf-bench/scripts/latency.sh
# SUMMARY_ONLY=1 only re-summarises OUT; STOP_AT (seconds since the epoch,
# e.g. $(date -d 00:30 +%s)) starts no run after that time, and summarises.
set -euo pipefail
ROUNDS=${ROUNDS:-3}
CONFIGS=${CONFIGS:-"1-64-1M 1-512-1M 2-64-1M 1-64-5M 1-64-max"}
SUBJECTS=${SUBJECTS:-"logbuf channel channel-wake channel-send agrona abq"}
WARMUP=${WARMUP:-3s}
DURATION=${DURATION:-10s}
JAVA=${JAVA:-java}
OUT=${OUT:-logbuf-bench/results/latency}
IDLE_PCT=${IDLE_PCT:-80}
IDLE_WAIT=${IDLE_WAIT:-30}
MAX_OTHER=${MAX_OTHER:-0.10}
RETRIES=${RETRIES:-1}
SCRIPTS=$(dirname "$0")

if [[ -z "${SUMMARY_ONLY:-}" ]]; then
  # run from a copy, so that a concurrent build of the tree cannot swap the jar mid-run
  JAR=$(mktemp -d)/benchmarks.jar
  cp logbuf-bench/target/benchmarks.jar "$JAR"
  mkdir -p "$OUT"
  source "$SCRIPTS/idle.sh"

  # whether run log $1 exists, finished, and other processes took at most MAX_OTHER of the CPU during it
  undisturbed() {
    [[ -f "$1" ]] && awk -v m="$MAX_OTHER" '/^LATENCY/ { for (i = 2; i <= NF; i++) if ($i ~ /^otherCpu=/) {
        split($i, a, "="); seen = 1; if (a[2] + 0 > m + 0) bad = 1 } } END { exit !(seen && !bad) }' "$1"
  }

  # sets run log $1 (and its .hlog) aside as disturbed
  set_aside() {
    local n=1
    while [[ -e "$1.disturbed-$n" ]]; do n=$((n + 1)); done
    mv "$1" "$1.disturbed-$n"
    if [[ -f "${1%.txt}.hlog" ]]; then mv "${1%.txt}.hlog" "${1%.txt}.hlog.disturbed-$n"; fi
  }

  {
    echo "== start: $(date -u +%FT%TZ) ROUNDS=$ROUNDS CONFIGS=$CONFIGS WARMUP=$WARMUP DURATION=$DURATION"
    echo "java: $("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ')"
    echo "nproc: $(nproc); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"
    echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null || echo '?')"
  } >> "$OUT/idle.txt"

  read -r -a subjects <<< "$SUBJECTS"
  n=${#subjects[@]}
  for config in $CONFIGS; do
    IFS=- read -r producers size rate <<< "$config"
    mkdir -p "$OUT/$config"
    for round in $(seq 1 "$ROUNDS"); do
      for i in $(seq 0 $((n - 1))); do
        subject=${subjects[$(( (i + round - 1) % n ))]}
        name="$config r$round $subject"
        log="$OUT/$config/r$round-$subject.txt"
        if undisturbed "$log" || { [[ -n "${KEEP_DISTURBED:-}" ]] && grep -q '^LATENCY' "$log" 2>/dev/null; }; then
          echo "$(date -u +%T) $name: kept from before"
          continue
        fi
        if [[ -n "${STOP_AT:-}" ]] && (( $(date +%s) >= STOP_AT )); then
          echo "$(date -u +%T) STOP_AT reached: no more runs"
          break 3
        fi
        for attempt in $(seq 0 "$RETRIES"); do
          if [[ -f "$log" ]]; then set_aside "$log"; fi
          wait_idle "$name"
          echo "$(date -u +%T) $name (attempt $((attempt + 1)))"
          "$JAVA" -Xms1g -Xmx1g --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp "$JAR" \
              dev.logbuf.bench.SendLatency --subject "$subject" --producers "$producers" --size "$size" \
              --rate "$rate" --warmup "$WARMUP" --duration "$DURATION" --round "$round" \
              --hlog "$OUT/$config/r$round-$subject.hlog" > "$log" 2>&1 \
            || { echo "FAILED: $name (see $log)"; tail -20 "$log"; exit 1; }
          awk '/^LATENCY/ { delete v; for (i = 2; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] }
               printf "   %-8s p50=%s p99=%s p99.9=%s p99.99=%s max=%s full=%s otherCpu=%s\n",
                      v["kind"], v["p50"], v["p99"], v["p99.9"], v["p99.99"], v["max"], v["full"], v["otherCpu"] }' "$log"
          if undisturbed "$log"; then
            break
          fi
          echo "   disturbed (other processes took more than $MAX_OTHER of the CPU)"
        done
      done
    done
  done
  echo "== end: $(date -u +%FT%TZ)" >> "$OUT/idle.txt"
fi
python3 "$SCRIPTS/latency-summary.py" "$OUT" "$MAX_OTHER" > "$OUT/summary.md"
cat "$OUT/summary.md"
