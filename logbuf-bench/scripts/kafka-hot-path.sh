#!/usr/bin/env bash
# Issue 22 item 5: the hot thread's cost of getting a record to Kafka, logbuf +
# KafkaShipper against KafkaProducer.send, and the end-to-end throughput of
# each, on a single-node broker started inside each benchmark JVM.
#
#   logbuf-bench/scripts/kafka-hot-path.sh [rounds] [out-file]
#
# One fresh JVM per (subject, size, rate); the subjects alternate, and which
# goes first flips every round. Env: JAR (default /tmp/kbench.jar, a copy of
# logbuf-bench/target/benchmarks.jar), JAVA (default java), RATE (the fixed
# offered rate, default 100000/s), WARMUP and SECONDS_PER_RUN (default 3 and 5),
# SIZES (default "64 512"), SUBJECTS (default "logbuf send"), MODES
# (default "fixed max"),
# BATCH (the shipper's records per batch, default 8192). Prints and appends the RESULT lines to out-file.
set -euo pipefail
rounds=${1:-3}
out=${2:-/tmp/kafka-hot-path.txt}
jar=${JAR:-/tmp/kbench.jar}
java=${JAVA:-java}
rate=${RATE:-100000}
warmup=${WARMUP:-3}
seconds=${SECONDS_PER_RUN:-5}
sizes=${SIZES:-64 512}
subjects=(${SUBJECTS:-logbuf send})
modes=${MODES:-fixed max}
flags=(-Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
if "$java" -XX:+IgnoreUnrecognizedVMOptions --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1 \
    && [ "$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p')" -ge 24 ]; then
  flags+=(--sun-misc-unsafe-memory-access=allow)
fi
for ((r = 1; r <= rounds; r++)); do
  order=("${subjects[@]}")
  if ((r % 2 == 0)); then
    order=($(printf '%s\n' "${subjects[@]}" | tac))
  fi
  for size in $sizes; do
    for mode in $modes; do
      [ "$mode" = max ] && offered=0 || offered=$rate
      for subject in "${order[@]}"; do
        line=$("$java" "${flags[@]}" -cp "$jar" dev.logbuf.bench.KafkaHotPath subject="$subject" size="$size" \
          rate="$offered" batch="${BATCH:-8192}" warmup="$warmup" seconds="$seconds" 2>&1 | grep '^RESULT' || echo "RESULT subject=$subject size=$size rate=$offered FAILED")
        echo "round=$r load=$(cut -d' ' -f1 /proc/loadavg) $line" | tee -a "$out"
      done
    done
  done
done
