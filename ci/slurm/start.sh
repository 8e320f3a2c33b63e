#!/usr/bin/env bash
# Starts a single-node SLURM cluster on localhost: munged, slurmctld and slurmd as plain
# daemons (no systemd), with state under $SLURM_HOME (default /tmp/bonesim-slurm). Installs
# Debian's packages first if they are missing. Run as root; safe to run twice (a cluster
# already up is left as it is). Stop it with ci/slurm/stop.sh.
#
#   sudo ci/slurm/start.sh && sinfo && sudo ci/slurm/stop.sh
set -euo pipefail
home=${SLURM_HOME:-/tmp/bonesim-slurm}
packages=(slurmctld slurmd slurm-client munge)

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
   || ! command -v munged >/dev/null; then
  echo "installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if running "$home/slurmctld.pid" && running "$home/slurmd.pid" && scontrol ping >/dev/null 2>&1; then
  echo "SLURM already running (state in $home)"
  exit 0
fi
"$(dirname "$0")/stop.sh" >/dev/null 2>&1 || true

mkdir -p "$home"/{spool,state,log} /etc/slurm /run/munge /var/lib/munge /var/log/munge
chown -R munge:munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
chmod 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown munge:munge /etc/munge/munge.key 2>/dev/null || true
chmod 0400 /etc/munge/munge.key
host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
# The configuration bonesim's CI needs: no cgroups (linuxproc, task/none), no accounting
# (job state from squeue and scontrol), batch jobs scheduled at once.
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=bonesim-ci
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$home/state
SlurmdSpoolDir=$home/spool
SlurmctldPidFile=$home/slurmctld.pid
SlurmdPidFile=$home/slurmd.pid
SlurmctldLogFile=$home/log/slurmctld.log
SlurmdLogFile=$home/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MaxArraySize=1001
KillWait=10
MinJobAge=600
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
cp /etc/slurm/slurm.conf "$home/slurm.conf"

su -s /bin/sh munge -c "/usr/sbin/munged --pid-file=/run/munge/munged.pid" 2>/dev/null \
  || /usr/sbin/munged --force --pid-file=/run/munge/munged.pid
cp /run/munge/munged.pid "$home/munged.pid"
slurmctld -i
slurmd
for _ in $(seq 1 60); do
  if scontrol ping >/dev/null 2>&1 && sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "SLURM up on $host: $cpus CPUs, ${mem} MB (state in $home)"
    exit 0
  fi
  sleep 0.5
done
echo "SLURM did not come up; logs:" >&2
tail -n 20 "$home"/log/*.log >&2 || true
exit 1
