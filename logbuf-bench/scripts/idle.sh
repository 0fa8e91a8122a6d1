# Sourced by the benchmark scripts (run-all.sh, ipc.sh, latency.sh): how idle the machine is, and
# a wait for it to be idle enough.

# percentage of CPU time idle over one second
idle_pct() {
  local a1 a2 a3 a4 a5 a6 a7 a8 b1 b2 b3 b4 b5 b6 b7 b8
  read -r _ a1 a2 a3 a4 a5 a6 a7 a8 _ < /proc/stat
  sleep 1
  read -r _ b1 b2 b3 b4 b5 b6 b7 b8 _ < /proc/stat
  local total=$(( (b1+b2+b3+b4+b5+b6+b7+b8) - (a1+a2+a3+a4+a5+a6+a7+a8) ))
  echo $(( 100 * (b4 - a4) / (total > 0 ? total : 1) ))
}

# wait_idle LABEL: waits (at most IDLE_WAIT seconds) until the CPUs are at least IDLE_PCT% idle over
# a second, then logs what it saw, with the load average, to IDLE_LOG (default: $OUT/idle.txt)
wait_idle() {
  local start=$SECONDS idle
  idle=$(idle_pct)
  while (( idle < IDLE_PCT && SECONDS - start < IDLE_WAIT )); do
    idle=$(idle_pct)
  done
  echo "$(date -u +%FT%TZ) $1 idle=${idle}% waited=$((SECONDS - start))s load=$(cut -d' ' -f1-3 /proc/loadavg)" \
    >> "${IDLE_LOG:-$OUT/idle.txt}"
}
