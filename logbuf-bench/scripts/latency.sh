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
# Before each run the script waits (at most IDLE_WAIT seconds) until the CPUs
# are IDLE_PCT% idle over one second and logs what it saw to OUT/idle.txt;
# every run also reports the share of the CPU other processes took during its
# measured window (otherCpu), which the summary shows per row.
#
# Usage (from the repository root):
#   [ROUNDS=3] [CONFIGS="1-64-1M 1-512-1M 2-64-1M"] [SUBJECTS="logbuf channel ..."] \
#   [WARMUP=3s] [DURATION=10s] [JAVA=java] [OUT=logbuf-bench/results/latency] \
#   logbuf-bench/scripts/latency.sh
# SUMMARY_ONLY=1 only re-summarises OUT.
set -euo pipefail
ROUNDS=${ROUNDS:-3}
CONFIGS=${CONFIGS:-"1-64-1M 1-512-1M 2-64-1M 1-64-5M 1-64-max"}
SUBJECTS=${SUBJECTS:-"logbuf channel channel-wake channel-send agrona abq"}
WARMUP=${WARMUP:-3s}
DURATION=${DURATION:-10s}
JAVA=${JAVA:-java}
OUT=${OUT:-logbuf-bench/results/latency}
IDLE_PCT=${IDLE_PCT:-80}
IDLE_WAIT=${IDLE_WAIT:-10}
SCRIPTS=$(dirname "$0")

if [[ -z "${SUMMARY_ONLY:-}" ]]; then
  # run from a copy, so that a concurrent build of the tree cannot swap the jar mid-run
  JAR=$(mktemp -d)/benchmarks.jar
  cp logbuf-bench/target/benchmarks.jar "$JAR"
  mkdir -p "$OUT"
  source "$SCRIPTS/idle.sh"

  wait_idle() {
    local start=$SECONDS idle
    idle=$(idle_pct)
    while (( idle < IDLE_PCT && SECONDS - start < IDLE_WAIT )); do
      idle=$(idle_pct)
    done
    echo "$(date -u +%FT%TZ) $1 idle=${idle}% waited=$((SECONDS - start))s load=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/idle.txt"
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
        wait_idle "$name"
        echo "$(date -u +%T) $name"
        log="$OUT/$config/r$round-$subject.txt"
        "$JAVA" -Xms1g -Xmx1g --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp "$JAR" \
            dev.logbuf.bench.SendLatency --subject "$subject" --producers "$producers" --size "$size" \
            --rate "$rate" --warmup "$WARMUP" --duration "$DURATION" --round "$round" \
            --hlog "$OUT/$config/r$round-$subject.hlog" > "$log" 2>&1 \
          || { echo "FAILED: $name (see $log)"; tail -20 "$log"; exit 1; }
        awk '/^LATENCY/ { delete v; for (i = 2; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] }
             printf "   %-8s p50=%s p99=%s p99.9=%s p99.99=%s max=%s full=%s otherCpu=%s\n",
                    v["kind"], v["p50"], v["p99"], v["p99.9"], v["p99.99"], v["max"], v["full"], v["otherCpu"] }' "$log"
      done
    done
  done
  echo "== end: $(date -u +%FT%TZ)" >> "$OUT/idle.txt"
fi
python3 "$SCRIPTS/latency-summary.py" "$OUT" > "$OUT/summary.md"
cat "$OUT/summary.md"
