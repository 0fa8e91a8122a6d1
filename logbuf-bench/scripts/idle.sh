# Sourced by the benchmark scripts (run-all.sh, ipc.sh): how idle the machine is.

# percentage of CPU time idle over one second
idle_pct() {
  local a1 a2 a3 a4 a5 a6 a7 a8 b1 b2 b3 b4 b5 b6 b7 b8
  read -r _ a1 a2 a3 a4 a5 a6 a7 a8 _ < /proc/stat
  sleep 1
  read -r _ b1 b2 b3 b4 b5 b6 b7 b8 _ < /proc/stat
  local total=$(( (b1+b2+b3+b4+b5+b6+b7+b8) - (a1+a2+a3+a4+a5+a6+a7+a8) ))
  echo $(( 100 * (b4 - a4) / (total > 0 ? total : 1) ))
}
