#!/usr/bin/env bash
# Start a single-node SLURM on localhost for CI: munge, slurmctld, slurmd. Installs
# slurm-wlm and munge from apt when missing. Bounded waits; prints what failed.
set -euo pipefail
if ! command -v slurmctld >/dev/null; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi
HOST=$(hostname)
CPUS=$(nproc)
MEM=$(( $(awk '/MemTotal/{print $2}' /proc/meminfo) / 1024 - 1024 ))
RUN=${SLURM_CI_DIR:-/tmp/slurm-ci}
mkdir -p "$RUN"/{ctld,d,munge} /etc/slurm
# munge with its own key and socket
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
fi
chown root:root /etc/munge/munge.key 2>/dev/null || true
chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
munged --force --socket=/run/munge/munge.socket.2 --pid-file="$RUN/munge/munged.pid" \
  --log-file="$RUN/munge/munged.log" --seed-file="$RUN/munge/munge.seed" 2>/dev/null || true
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=ci
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
StateSaveLocation=$RUN/ctld
SlurmdSpoolDir=$RUN/d
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd.pid
SlurmctldLogFile=$RUN/slurmctld.log
SlurmdLogFile=$RUN/slurmd.log
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$HOST CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=ci Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -c >/dev/null 2>&1 || slurmctld
slurmd
for i in $(seq 1 60); do
  if sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
    echo "slurm up: $(sinfo -h -o '%P %D %t %c CPUs')"
    exit 0
  fi
  sleep 1
done
echo "slurm did not come up within 60 s:" >&2
sinfo >&2 || true
tail -n 20 "$RUN/slurmctld.log" "$RUN/slurmd.log" >&2 || true
exit 1
