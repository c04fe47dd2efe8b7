#!/usr/bin/env bash
# Stop every daemon slurm-up.sh started.
RUN=${SLURM_CI_DIR:-/tmp/slurm-ci}
for p in "$RUN/slurmd.pid" "$RUN/slurmctld.pid" "$RUN/munge/munged.pid"; do
  [ -s "$p" ] && kill "$(cat "$p")" 2>/dev/null || true
done
sleep 1
pkill -x slurmd 2>/dev/null || true
pkill -x slurmctld 2>/dev/null || true
pkill -x munged 2>/dev/null || true
# bounded wait until they are gone
for _ in $(seq 1 20); do
  running=$(for n in slurmd slurmctld munged; do pgrep -x "$n"; done)
  [ -z "$running" ] && exit 0
  sleep 0.5
done
echo "slurm-down: daemons still running after 10 s: $(for n in slurmd slurmctld munged; do pgrep -l -x "$n"; done | tr '\n' ' ')" >&2
exit 0
