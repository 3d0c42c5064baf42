#!/usr/bin/env bash
# `stylelab batch run` on one machine: ITEMS items (default 1000) of ../shared's photos, reused, through Johnson's
# fast network (wave) at SIZE px (default 256). The run is stopped twice — SIGTERM (as scancel does) and SIGKILL (as
# an OOM killer or a lost node does) — and resumed; at the end every output must be complete. Reports items/s and
# CPU seconds per run, and the resident memory sampled every 2 s (peak and its course: flat or growing).
#   tools/bench/batch_throughput.sh [ITEMS] [SIZE]          (STOPS=0: one uninterrupted run, to see memory's course)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
shared="${STYLELAB_SHARED:-$root/../shared}"
items=${1:-1000}
size=${2:-256}
export STYLELAB_WEIGHTS="$shared/weights"
work="$(mktemp -d "${TMPDIR:-/tmp}/stylelab-batch-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
exe="$root/stylelab"
"$exe" --version >/dev/null

mkdir -p "$work/out"
photos=("$shared"/data/content/*.jpg)
echo "content,style,method,output,size" >"$work/manifest.csv"
for (( i = 0; i < items; i++ )); do
  photo="${photos[i % ${#photos[@]}]}"
  echo "$photo,wave,fast,r$(( i / ${#photos[@]} ))/$(basename "${photo%.*}").png,$size" >>"$work/manifest.csv"
done

# Runs the whole manifest in the background, samples its RSS, and stops it with SIGNAL after STOP outputs (0: never).
run() {
  local signal=$1 stop=$2 label=$3 key=$4
  /usr/bin/time -f "%e %U %S %M" -o "$work/time-$key" \
    "$exe" batch run -m "$work/manifest.csv" -o "$work/out" --shard 0/1 >"$work/log-$key" 2>&1 &
  local pid=$!
  local samples=() before
  before=$(find "$work/out" -name '*.png' 2>/dev/null | wc -l)
  while kill -0 "$pid" 2>/dev/null; do
    local child rss
    child=$(pgrep -P "$pid" -f StyleLab.Cli | head -1 || true)
    rss=$(awk '/VmRSS/ {print $2}' "/proc/${child:-$pid}/status" 2>/dev/null || true)
    [[ -n $rss ]] && samples+=("$(( rss / 1024 ))")
    if (( stop > 0 )) && (( $(find "$work/out" -name '*.png' 2>/dev/null | wc -l) >= stop )); then
      [[ -n $child ]] && kill "-$signal" "$child"
      stop=0
    fi
    sleep 2
  done
  wait "$pid" || true
  read -r wall user sys peak < <(tail -n 1 "$work/time-$key")
  local written=$(( $(find "$work/out" -name '*.png' | wc -l) - before ))
  echo "$label: $written written, wall ${wall}s ($(echo "scale=2; $written / $wall" | bc) items/s), CPU $(echo "$user + $sys" | bc)s," \
    "peak RSS $(( peak / 1024 )) MiB;" \
    "RSS (MiB) every 20 s: $(for (( k = 0; k < ${#samples[@]}; k += 10 )); do printf '%s ' "${samples[k]}"; done)"
}

if [[ ${STOPS:-1} == 1 ]]; then
  run TERM $(( items / 3 )) "run-1 (SIGTERM at ${items}/3)" 1
  run KILL $(( 2 * items / 3 )) "run-2 (SIGKILL at 2·${items}/3)" 2
fi
run TERM 0 "run-3 (to the end)" 3
echo "temporary files left: $(find "$work/out" -name '*.stylelab-tmp*' | wc -l)"
"$exe" batch status -m "$work/manifest.csv" -o "$work/out" 2>/dev/null
"$exe" batch run -m "$work/manifest.csv" -o "$work/out" --shard 0/1 --log-dir "$work/verify" 2>/dev/null | tail -1
