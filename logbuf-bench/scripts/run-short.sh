#!/usr/bin/env bash
# A shorter run of the suite (about 25 minutes on 2 cores) behind docs/BENCHMARKS.md:
# run-all.sh's throughput rounds (3 rounds, every subject once per round, subjects
# alternating), then single-thread, ping-pong and channel runs with fewer forks and
# sizes than run-all.sh, and the -prof gc checks. Results go to logbuf-bench/results/.
# Usage (from anywhere, after: mvn -B -pl logbuf-queue,logbuf-channel,logbuf-bench -am package -DskipTests):
#   logbuf-bench/scripts/run-short.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=logbuf-bench/results
rm -rf "$OUT"; mkdir -p "$OUT/throughput"
JAR=$(mktemp -d)/benchmarks.jar
cp logbuf-bench/target/benchmarks.jar "$JAR"
log() { echo "$(date -u +%T) $*" >> "$OUT/progress.log"; }
for round in 1 2 3; do
  for group in spsc mpsc1 mpsc2; do
    for size in random 64; do
      for subject in logbuf agrona jctools abq channel; do
        name="$round-$group-$size-$subject"
        log "throughput $name load=$(cut -d' ' -f1 /proc/loadavg)"
        java -jar "$JAR" "Throughput.$group\$" -p subject=$subject -p size=$size \
          -f 1 -wi 2 -w 1s -i 3 -r 1s -foe true \
          -rf json -rff "$OUT/throughput/$name.json" > "$OUT/throughput/$name.log" 2>&1
      done
    done
  done
done
log single-thread
java -jar "$JAR" 'SingleThread' -bm avgt -f 3 -wi 2 -w 500ms -i 3 -r 500ms -foe true \
  -rf json -rff "$OUT/single-thread.json" > "$OUT/single-thread.log" 2>&1
log ping-pong
java -jar "$JAR" 'PingPong' -f 3 -wi 2 -w 1s -i 3 -r 1s -foe true \
  -rf json -rff "$OUT/ping-pong.json" > "$OUT/ping-pong.log" 2>&1
log channel-overhead
java -jar "$JAR" 'ChannelOverhead' -p size=64,1024 -f 3 -wi 2 -w 500ms -i 3 -r 500ms -foe true \
  -rf json -rff "$OUT/channel-overhead.json" > "$OUT/channel-overhead.log" 2>&1
log channel-wakeup
java -jar "$JAR" 'ChannelWakeup' -f 3 -wi 1 -w 1s -i 3 -r 2s -foe true \
  -rf json -rff "$OUT/channel-wakeup.json" > "$OUT/channel-wakeup.log" 2>&1
log gc
java -jar "$JAR" 'Throughput|SingleThread|PingPong' -p subject=logbuf,logbuf-claim -bm avgt \
  -prof gc -f 1 -wi 2 -w 500ms -i 3 -r 500ms -foe true \
  -rf json -rff "$OUT/gc.json" > "$OUT/gc.log" 2>&1
log gc-channel
java -jar "$JAR" 'ChannelOverhead|ChannelWakeup|Throughput' -p subject=channel \
  -prof gc -f 1 -wi 2 -w 500ms -i 3 -r 2s -foe true \
  -rf json -rff "$OUT/gc-channel.json" > "$OUT/gc-channel.log" 2>&1
log done
