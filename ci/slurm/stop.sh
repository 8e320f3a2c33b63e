#!/usr/bin/env bash
# Stops the daemons ci/slurm/start.sh started, by their recorded PIDs.
home=${SLURM_HOME:-/tmp/bonesim-slurm}
for daemon in slurmd slurmctld munged; do
  pidfile="$home/$daemon.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$pidfile"
done
echo "SLURM stopped"
