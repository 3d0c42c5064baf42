#!/usr/bin/env bash
# `stylelab batch` on a real Slurm: starts a single-node cluster on this machine (Debian's slurm-wlm 22.05 and munge,
# installed with apt-get when missing), submits examples/cluster/stylise.sbatch as an array over a manifest of 40 items
# made from ../shared's photos (4 of them corrupt), cancels one task midway (scancel: SIGTERM), re-submits the array
# and checks: every good item has exactly one complete output, the corrupt ones are failed with a reason, no temporary
# file is left, `batch status` adds up. Every daemon it starts is stopped on exit; nothing stays running.
# Skips (exit 0, with a message) when ../shared is absent. Called by .ci/run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
shared="${STYLELAB_SHARED:-$root/../shared}"
start=$(date +%s)
say() { echo "[cluster $(( $(date +%s) - start ))s] $*"; }
fail() { echo "[cluster] FAILED: $*" >&2; exit 1; }

if [[ ! -d $shared/data/content || ! -d $shared/weights/fast-style-ml5 ]]; then
  echo "[cluster] skipped: ../shared (photos and the fast-style weights) is absent."
  exit 0
fi

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  [[ $(id -u) == 0 ]] || fail "slurm-wlm and munge are not installed and this is not root: apt-get install slurm-wlm munge"
  say "installing slurm-wlm and munge (apt-get)"
  install() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends slurm-wlm munge >/dev/null; }
  install || { apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null && install; } || fail "apt-get could not install slurm-wlm and munge"
fi
[[ $(id -u) == 0 ]] || fail "slurmd must run as root here (it starts jobs as their user)."

tmp="$(mktemp -d "${TMPDIR:-/tmp}/stylelab-slurm.XXXXXX")"
chmod 700 "$tmp"
jobs=()
cleanup() {
  local code=$?
  set +e
  for job in "${jobs[@]}"; do scancel "$job" 2>/dev/null; done
  # Let slurmd reap the cancelled steps before it goes.
  for _ in $(seq 50); do [[ -z $(squeue -h 2>/dev/null) ]] && break; sleep 0.2; done
  for daemon in slurmd slurmctld munged; do
    [[ -f $tmp/$daemon.pid ]] || continue
    pid=$(cat "$tmp/$daemon.pid")
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { echo "[cluster] $daemon ($pid) ignored SIGTERM: killing it" >&2; kill -9 "$pid"; }
  done
  if (( code != 0 )); then
    for log in "$tmp"/slurmctld.log "$tmp"/slurmd.log "$tmp"/job-*.out; do
      [[ -f $log ]] && { echo "---- $log (last lines)"; tail -n 15 "$log"; }
    done
  fi
  rm -rf "$tmp"
  exit "$code"
}
trap cleanup EXIT

# ---- the cluster: munge with its own key and socket, slurm.conf in the temporary folder
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool"
chmod 700 "$tmp/munge"
head -c 1024 /dev/urandom >"$tmp/munge/munge.key"
chmod 400 "$tmp/munge/munge.key"
munged --force --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/munge.socket" --pid-file="$tmp/munged.pid" \
  --log-file="$tmp/munge/munged.log" --seed-file="$tmp/munge/munged.seed"

host="$(hostname -s)"
export SLURM_CONF="$tmp/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=stylelab-ci
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
KillWait=10
NodeName=$host CPUs=2 State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -c -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do [[ $(sinfo -h -o %t 2>/dev/null) == idle ]] && break; sleep 0.2; done
[[ $(sinfo -h -o %t) == idle ]] || fail "the node did not come up ($(sinfo -h -o '%t %E' 2>&1))"
say "cluster up: $(sinfo -h -o '%P %D nodes, %c CPUs, %t')"

# ---- the manifest: 12 photos × 3 networks, and 4 corrupt photos (truncated, not an image, empty, garbage PNG)
"$root/stylelab" --version >/dev/null   # builds the command once, before the tasks share it
data="$tmp/data"
out="$tmp/out"
mkdir -p "$data/photos" "$out"
photos=("$shared"/data/content/*.jpg)
head -c 4000 "${photos[0]}" >"$data/photos/truncated.jpg"
echo "not an image" >"$data/photos/text.jpg"
: >"$data/photos/empty.png"
{ printf '\x89PNG\r\n\x1a\n'; head -c 2000 /dev/urandom; } >"$data/photos/garbage.png"
manifest="$data/manifest.csv"
echo "content,style,method,output,size" >"$manifest"
for photo in "${photos[@]}"; do
  name="$(basename "${photo%.*}")"
  for style in wave udnie scream; do echo "$photo,$style,fast,$style/$name.png,96" >>"$manifest"; done
done
for bad in truncated.jpg text.jpg empty.png garbage.png; do echo "photos/$bad,wave,fast,broken/${bad%.*}.png,96" >>"$manifest"; done
items=$(( $(wc -l <"$manifest") - 1 ))
good=$(( 3 * ${#photos[@]} ))
say "manifest: $items items ($good good, 4 corrupt)"

export STYLELAB_WEIGHTS="$shared/weights"
submit() {
  local job
  job=$(sbatch --parsable --array=0-3 --cpus-per-task=1 --mem=0 --output="$tmp/job-%A_%a.out" \
    --export="ALL,MANIFEST=$manifest,OUTPUT=$out,SHARDS=4,STYLELAB=$root/stylelab" "$root/examples/cluster/stylise.sbatch")
  echo "$job"
}
wait_for() {
  for _ in $(seq 1500); do [[ -z $(squeue -h -j "$1" 2>/dev/null) ]] && return 0; sleep 0.2; done
  fail "job $1 still running after 5 minutes"
}

# ---- first submission; cancel task 1 once it has written an output
job=$(submit)
jobs+=("$job")
say "submitted array job $job (4 tasks, 2 CPUs)"
log1="$out/.stylelab-batch/shard-1-of-4.jsonl"
for _ in $(seq 1500); do grep -qs '"event":"done"' "$log1" && break; sleep 0.2; done
grep -qs '"event":"done"' "$log1" || fail "task 1 wrote nothing within 5 minutes"
scancel "${job}_1"
say "scancel ${job}_1 after its first output"
wait_for "$job"
grep -q '"cancelled":true' "$log1" || fail "task 1's log has no cancelled end record (SIGTERM not handled?)"
"$root/stylelab" batch status -m "$manifest" -o "$out" | tee "$tmp/status1.txt"
grep -Eq "^$items items: .* [1-9][0-9]* pending" "$tmp/status1.txt" || fail "nothing was left pending by the cancelled task"

# ---- re-submit the whole array: finished shards skip their outputs, shard 1 completes
job=$(submit)
jobs+=("$job")
say "re-submitted as $job"
wait_for "$job"
"$root/stylelab" batch status -m "$manifest" -o "$out" --retry "$tmp/retry.csv" | tee "$tmp/status2.txt"

# ---- checks
grep -q "^$items items: $good done, 4 failed, 0 pending" "$tmp/status2.txt" || fail "status does not add up to $good done, 4 failed, 0 pending"
for bad in truncated text empty garbage; do
  grep -Eq "^failed: broken/$bad.png \(.*\): [A-Za-z]+: .+" "$tmp/status2.txt" || fail "broken/$bad.png is not reported failed with a reason"
done
[[ $(( $(wc -l <"$tmp/retry.csv") - 1 )) == 4 ]] || fail "the retry manifest should hold the 4 corrupt items"
written=$(find "$out" -path "$out/.stylelab-batch" -prune -o -type f -print | wc -l)
[[ $written == "$good" ]] || fail "$written files in the output folder, expected exactly $good (one per good item)"
temporary=$(find "$out" -name '*.stylelab-tmp*' | wc -l)
[[ $temporary == 0 ]] || fail "$temporary temporary files left behind"
# Complete, not merely present: a whole-manifest run decodes every output, finds each of the right size, redoes none.
"$root/stylelab" batch run -m "$manifest" -o "$out" --shard 0/1 --log-dir "$tmp/verify" >"$tmp/verify.txt" 2>&1 || true
grep -q "0 written, $good already complete, 4 failed" "$tmp/verify.txt" || { cat "$tmp/verify.txt"; fail "some outputs are not complete"; }
say "passed: $good outputs complete and written once, 4 corrupt items failed with reasons, no temporary files, status adds up"
