# Sourced by scripts/bench.sh and the measurement scripts: CPU time of processes, in clock ticks
# (1/CLK_TCK s; getconf CLK_TCK).

# cpu_ticks PID...: CPU spent by the given processes and their reaped children (utime, stime,
# cutime, cstime of /proc/<pid>/stat; the fields after the command name, which may hold spaces).
cpu_ticks() {
  local pid total=0 ticks
  for pid in "$@"; do
    ticks=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 + $14 + $15 }') || ticks=0
    total=$((total + ${ticks:-0}))
  done
  echo "$total"
}

# pg_cpu_ticks DATA_DIR: every process of that PostgreSQL cluster: the postmaster (whose children's
# CPU, once they exit and it has reaped them, is added to its cutime/cstime) and its living children
# (backends, checkpointer, WAL writer …).
pg_cpu_ticks() {
  local postmaster
  postmaster=$(head -n 1 "$1/postmaster.pid")
  # shellcheck disable=SC2046
  cpu_ticks "$postmaster" $(ps -o pid= --ppid "$postmaster")
}
