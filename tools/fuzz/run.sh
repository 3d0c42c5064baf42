#!/usr/bin/env bash
# Fuzzes one of StyleLab's file readers with AFL++ and SharpFuzz for a fixed time (not part of CI or `dotnet test`).
#   tools/fuzz/run.sh TARGET [SECONDS]      TARGET: safetensors | pth | tflite | tfjs | image | t7; SECONDS default 600
#   tools/fuzz/run.sh replay TARGET FILE…   runs inputs once through the harness (no AFL)
# Needs afl++ (Debian: apt-get install afl++, done here when missing and run as root). Work files go to tools/fuzz/.work/.
# The summary line gives executions per second, corpus size, coverage (AFL's edge bitmap) and crashes/hangs; any crash
# or hang is under tools/fuzz/.work/out/TARGET/default/{crashes,hangs}: copy it to
# tests/StyleLab.Tests/HostileInput/FuzzFindings/TARGET/ so FuzzFindingTests replays it forever after.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${STYLELAB_FUZZ_WORK:-$root/tools/fuzz/.work}
fixtures=$root/tests/StyleLab.Tests/Fixtures
shared=${STYLELAB_SHARED:-$root/../shared}

build() {
  if [[ ! -x $work/tools/sharpfuzz ]]; then
    dotnet tool install --tool-path "$work/tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null
  fi
  if [[ ! -f $work/bin/.instrumented ]]; then
    nice -n 19 dotnet build "$root/tools/fuzz/StyleLab.Fuzz" -c Release -o "$work/bin" -v quiet -nologo >/dev/null
    # Coverage comes from StyleLab.dll alone: the readers and what they call.
    "$work/tools/sharpfuzz" "$work/bin/StyleLab.dll"
    touch "$work/bin/.instrumented"
  fi
}

if [[ ${1:-} == replay ]]; then
  # An instrumented StyleLab.dll needs AFL's shared memory: replays run an uninstrumented build.
  [[ -f $work/replay/StyleLab.Fuzz.dll ]] || nice -n 19 dotnet build "$root/tools/fuzz/StyleLab.Fuzz" -c Release -o "$work/replay" -v quiet -nologo >/dev/null
  shift
  exec dotnet "$work/replay/StyleLab.Fuzz.dll" "$@"
fi

target=${1:?usage: tools/fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-600}
command -v afl-fuzz >/dev/null || { [[ $(id -u) == 0 ]] && DEBIAN_FRONTEND=noninteractive apt-get install -y -q afl++ >/dev/null; }
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: install afl++" >&2; exit 1; }
build

# Seeds: the test fixtures of each format, plus tools/fuzz/seeds/TARGET; inputs over 1 MB are left out (AFL's limit).
in=$work/in/$target
rm -rf "$in"; mkdir -p "$in"
seed() { for f in "$@"; do [[ -f $f && $(stat -c %s "$f") -le 1048576 ]] && cp "$f" "$in/$(basename "$(dirname "$f")")-$(basename "$f")"; done; return 0; }
case $target in
  safetensors) seed "$fixtures"/*/*.safetensors "$fixtures"/*.safetensors ;;
  pth) seed "$fixtures"/checkpoints/*.pth "$fixtures"/adain/*.pth ;;
  tflite) seed "$shared"/weights/magenta-arbitrary/tflite/style_transfer_quantized_dynamic.tflite ;;
  tfjs) ;;
  image) seed "$fixtures"/images/* ;;
  t7) seed "$shared"/fixtures/torch7/*.t7 ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
seed "$root"/tools/fuzz/seeds/"$target"/*
[[ -n $(ls -A "$in") ]] || { echo "no seeds for $target" >&2; exit 1; }

# One input may take at most 5 s; the managed heap is capped at 1 GB and StyleLab's memory budget at 512 MB,
# so a reader that allocates past its budget fails (OutOfMemoryException escapes and counts as a crash).
out=$work/out/$target
rm -rf "$out" "$work/$target.escapes"; mkdir -p "$work/out"
AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
AFL_FORKSRV_INIT_TMOUT=120000 AFL_NO_UI=1 AFL_QUIET=1 \
DOTNET_GCHeapHardLimit=0x40000000 STYLELAB_MEMORY_BUDGET=512M DOTNET_TieredPGO=0 STYLELAB_FUZZ_ESCAPES=$work/$target.escapes \
  nice -n 19 afl-fuzz -V "$seconds" -t 5000 -m none -i "$in" -o "$out" -- dotnet "$work/bin/StyleLab.Fuzz.dll" "$target" \
  > "$work/$target.log" 2>&1 || { tail -30 "$work/$target.log" >&2; exit 1; }

stats=$out/default/fuzzer_stats
get() { awk -F' *: *' -v k="$1" '$1==k {print $2}' "$stats"; }
echo "$target: $(get run_time) s, $(get execs_done) execs ($(get execs_per_sec)/s), corpus $(get corpus_count) (from $(ls "$in" | wc -l) seeds)," \
     "coverage $(get bitmap_cvg) of the edge map, crashes $(get saved_crashes), hangs $(get saved_hangs)"
[[ ! -s $work/$target.escapes ]] || echo "what escaped (type, message, stack, memory): $work/$target.escapes"
