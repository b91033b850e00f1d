#!/usr/bin/env bash
# End-to-end check of the sweep's Slurm path on one machine (see docs/sweeps.md and the recipe
# shared/recipes/slurm-single-node.md): bring up munge + slurmctld + slurmd without systemd,
# submit the job array + dependent merge printed by `atomplan study slurm-script` through real
# sbatch, check the output files (not only exit codes), compare them byte for byte with a local
# run, and stop every daemon this script started (by PID).
#
# Usage: ci/slurm-sweep.sh ATOMPLAN_BINARY STUDY_FILE [NSHARDS]   (as root)
# Exit 0: passed. Exit 77: Slurm cannot be brought up here (reason on stderr as "skip: ...").
# Any other exit: a real failure.
# Knobs: WORK (folder, default a fresh mktemp -d), KEEP_UP=1 (leave daemons running).
set -euo pipefail

ATOMPLAN=$(readlink -f "$1")
STUDY=$(readlink -f "$2")
NSHARDS=${3:-4}
WORK=${WORK:-$(mktemp -d)}
skip() { echo "skip: $*" >&2; exit 77; }
ts() { date +%s.%N; }
el() { awk -v a="$1" -v b="$(ts)" 'BEGIN{printf "%.1f", b-a}'; }
T_START=$(ts)

[ "$(id -u)" = 0 ] || skip "needs root to install and run the Slurm daemons (running as uid $(id -u))"

# ---------------------------------------------------------------- 1. install
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  command -v apt-get >/dev/null || skip "Slurm is not installed and there is no apt-get to install it"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$WORK/apt.log" 2>&1 || skip "apt-get update failed: $(tail -n 3 "$WORK/apt.log" | tr '\n' ' ')"
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >>"$WORK/apt.log" 2>&1 \
    || skip "apt-get install slurmctld slurmd slurm-client munge failed: $(tail -n 3 "$WORK/apt.log" | tr '\n' ' ')"
fi
echo "[time] install: $(el "$T_START")s"

# ---------------------------------------------------------------- 2. daemons (unless already up)
STARTED=()
stop_all() {
  for f in "${STARTED[@]}"; do
    [ -f "$f" ] || continue
    p=$(cat "$f"); kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  done
}
[ "${KEEP_UP:-0}" = 1 ] || trap stop_all EXIT
T=$(ts)
if scontrol ping 2>/dev/null | grep -q UP && sinfo -h -o '%t' 2>/dev/null | grep -qx idle; then
  echo "slurm already running: reusing it (and leaving it running)"
else
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown munge:munge /etc/munge /etc/munge/munge.key; chmod 0700 /etc/munge; chmod 0400 /etc/munge/munge.key
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
  if ! [ -S /run/munge/munge.socket.2 ] || ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    runuser -u munge -- /usr/sbin/munged
    STARTED+=(/run/munge/munged.pid)
    for _ in $(seq 50); do [ -S /run/munge/munge.socket.2 ] && break; sleep 0.1; done
  fi
  munge -n | unmunge >/dev/null || skip "munge does not work here"
  CPUS=$(nproc)
  MEM_MB=$(awk '/MemTotal/{printf "%d", $2/1024*0.9}' /proc/meminfo)
  mkdir -p /etc/slurm /var/log/slurm
  rm -rf /var/spool/slurmctld /var/spool/slurmd
  install -d -m 0755 /var/spool/slurmctld /var/spool/slurmd
  cat > /etc/slurm/slurm.conf <<EOF
ClusterName=ci
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=${CPUS} RealMemory=${MEM_MB} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  slurmctld; STARTED+=(/run/slurmctld.pid)
  slurmd -N localhost; STARTED=(/run/slurmd.pid "${STARTED[@]}")
  for _ in $(seq 300); do sinfo -h -o '%t' 2>/dev/null | grep -qx idle && break; sleep 0.1; done
  if ! sinfo -h -o '%t' | grep -qx idle; then
    sinfo -R || true; tail -n 30 /var/log/slurm/*.log || true
    echo "slurm node did not become idle" >&2; exit 1
  fi
fi
echo "[time] daemons up: $(el "$T")s"

# ---------------------------------------------------------------- 3. local reference run
T=$(ts)
"$ATOMPLAN" -q study sweep "$STUDY" --out "$WORK/local" --no-progress
"$ATOMPLAN" -q study merge "$WORK/local" >/dev/null
echo "[time] local run + merge: $(el "$T")s"

# ---------------------------------------------------------------- 4. the Slurm path
T=$(ts)
"$ATOMPLAN" study slurm-script "$STUDY" --shards "$NSHARDS" --out "$WORK/slurm" \
  --cpus-per-task 1 --mem 500M --time 00:10:00 --atomplan "$ATOMPLAN" > "$WORK/submit.sh"
# WAIT=1: sbatch --wait on the array returns the highest exit code of its tasks (recipe pitfall 8).
if ! (cd "$WORK" && WAIT=1 bash submit.sh); then
  echo "the job array or merge failed; logs:" >&2
  tail -n 20 "$WORK"/slurm/logs/*.out >&2 || true
  exit 1
fi
echo "[time] slurm array ($NSHARDS shards) + merge: $(el "$T")s"

# ---------------------------------------------------------------- 5. verify files
fail() { echo "FAIL: $*" >&2; exit 1; }
test "$(ls "$WORK"/slurm/shard-*-of-"$NSHARDS".sqlite | wc -l)" -eq "$NSHARDS" || fail "expected $NSHARDS shard files"
test "$(ls "$WORK"/slurm/shard-*-of-"$NSHARDS".manifest.json | wc -l)" -eq "$NSHARDS" || fail "expected $NSHARDS manifests"
for m in "$WORK"/slurm/shard-*.manifest.json; do grep -q '"complete": true' "$m" || fail "$m is not complete"; done
test -s "$WORK/slurm/results.csv" || fail "no merged results.csv"
test -s "$WORK/slurm/results.sqlite" || fail "no merged results.sqlite"
test -s "$WORK/slurm/summary.json" || fail "no summary.json"
grep -q "^merged " "$WORK/slurm/logs/merge.out" || fail "merge job log lacks its report: $(cat "$WORK/slurm/logs/merge.out")"
cmp "$WORK/local/results.csv" "$WORK/slurm/results.csv" || fail "Slurm and local results differ"
if sinfo -h -o '%t' | grep -q drain; then sinfo -R; fail "node drained"; fi
echo "slurm sweep OK: $(($(wc -l < "$WORK/slurm/results.csv") - 1)) scenarios from $NSHARDS shards, identical to the local run ($WORK)"
echo "[time] total: $(el "$T_START")s"
