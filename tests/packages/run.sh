#!/usr/bin/env bash
# StyleLab as someone outside the repository uses it: packs (./build.sh pack), then runs each consumer in a
# temporary folder outside the checkout, with nothing of the repository beside it:
#   1. a console project (dotnet new console + PackageReference StyleLab) running Gatys at 64 px;
#   2. a .NET 10 file-based script with `#:package StyleLab@<version>` (a Johnson network);
#   3. the StyleLab.Cli tool: dotnet tool install --tool-path, `stylelab demo` (small), `stylelab kernel install
#      --prefix` (+ --plain) and a notebook executed through nbconvert on the installed kernel; then
#      tests/kernel/test_packages.py against the installed plain kernel: #r "nuget: …" of a registry package
#      and of StyleLab from the local feed.
# Usage: tests/packages/run.sh [--no-pack]. Needs ../shared (images, weights); skips without it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/packages"
shared="${STYLELAB_SHARED:-$(cd "$root/.." && pwd)/shared}"
if [ ! -d "$shared/data" ] || [ ! -d "$shared/weights" ]; then
  echo "tests/packages: skipped (no ../shared images and weights)"
  exit 0
fi
export STYLELAB_DATA="$shared/data" STYLELAB_WEIGHTS="$shared/weights"
# Debian's Jupyter (nbconvert for the notebook, nbclient/pytest for test_packages.py): the python3 first on PATH
# may be a pyenv build without them. Installed when missing, as tests/kernel/run.sh and notebooks/run.sh do.
PY=/usr/bin/python3
JUPYTER=/usr/bin/jupyter
packages="jupyter-nbconvert python3-nbclient jupyter-client python3-pytest python3-zmq"
if ! "$PY" -c "import nbconvert, nbclient, jupyter_client, pytest, zmq" 2>/dev/null || [ ! -x "$JUPYTER" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq $packages >/dev/null 2>&1 || (apt-get update -qq && apt-get -o DPkg::Lock::Timeout=300 install -y -qq $packages >/dev/null)
  else
    echo "tests/packages: install $packages (apt) first" >&2
    exit 1
  fi
fi

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props")
feed="$root/artifacts/packages"
clock() { echo "-- $1: $(( $(date +%s) - $2 )) s"; }
t0=$(date +%s)
if [ "${1:-}" != --no-pack ]; then
  "$root/build.sh" pack >/dev/null
  clock "pack" "$t0"
fi
ls -l "$feed"

work=$(mktemp -d "${TMPDIR:-/tmp}/stylelab-consumers.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

# A private NuGet folder, so the packages just built are used and not an older StyleLab $version from the
# user's cache; everything else (TorchSharp, libtorch, …) is read in place from the user's cache through a
# fallback folder of links, or comes from the configured registry.
user_packages=$(dotnet nuget locals global-packages -l | sed 's/^global-packages: *//')
mkdir fallback
for p in "$user_packages"*/; do
  name=$(basename "$p")
  [[ $name == stylelab* ]] || ln -s "$p" "fallback/$name"
done
cat > nuget.config <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$work/nuget-packages" /></config>
  <packageSources><add key="stylelab-local" value="$feed" /></packageSources>
  <fallbackPackageFolders><add key="user" value="$work/fallback" /></fallbackPackageFolders>
</configuration>
CONFIG

echo "== 1. console project: dotnet new console + PackageReference StyleLab $version"
t=$(date +%s)
mkdir console && (
  cd console
  dotnet new console --name GatysConsumer --output . >/dev/null
  dotnet add package StyleLab --version "$version" >/dev/null
  cp "$here/Gatys.Program.cs" Program.cs
  dotnet run
  test -s gatys.png
)
clock "console project" "$t"

echo "== 2. file-based script: #:package StyleLab@$version"
t=$(date +%s)
mkdir script && (
  cd script
  sed "s/@VERSION/@$version/" "$here/fast-style.cs" > fast-style.cs
  dotnet run fast-style.cs
  test -s fast-style.png
)
clock "file-based script" "$t"

echo "== 3. the tool: dotnet tool install StyleLab.Cli, stylelab demo, stylelab kernel install, a notebook"
t=$(date +%s)
dotnet tool install --tool-path "$work/tool" StyleLab.Cli --add-source "$feed" --version "$version"
clock "tool install" "$t"
t=$(date +%s)
"$work/tool/stylelab" demo --size 64 --steps 5 -o "$work/demo.png"
test -s "$work/demo.png"
clock "stylelab demo" "$t"

t=$(date +%s)
"$work/tool/stylelab" kernel install --prefix "$work/jupyter"
"$work/tool/stylelab" kernel install --plain --prefix "$work/jupyter"
export JUPYTER_PATH="$work/jupyter/share/jupyter"
cp "$here/tool-kernel.ipynb" .
"$JUPYTER" nbconvert --to notebook --execute --ExecutePreprocessor.timeout=300 --output executed.ipynb tool-kernel.ipynb
"$PY" - executed.ipynb "$work/tool" <<'CHECK'
import json, sys
cells = [c for c in json.load(open(sys.argv[1]))["cells"] if c["cell_type"] == "code"]
outputs = [o for c in cells for o in c["outputs"]]
text = lambda v: "".join(v) if isinstance(v, list) else v  # nbformat may store multi-line strings as lists
assert not [o for o in outputs if o["output_type"] == "error"], outputs
assert any("data:image/png;base64" in text(o.get("data", {}).get("text/html", "")) for o in outputs), "no image shown"
last = text(cells[-1]["outputs"][0]["data"]["text/plain"])
assert last.startswith("active; 96×") and sys.argv[2] in last, last
print("notebook on the tool's kernel:", last)
CHECK
clock "notebook on the tool's kernel" "$t"

echo "== 4. #r \"nuget: …\" on the tool's plain kernel (a registry package; StyleLab from the local feed)"
t=$(date +%s)
STYLELAB_LOCAL_FEED="$feed" STYLELAB_VERSION="$version" STYLELAB_USER_PACKAGES="$user_packages" \
  "$PY" -m pytest -q -s -p no:cacheprovider "$root/tests/kernel/test_packages.py"
clock "#r nuget tests on the tool's kernel" "$t"
clock "tests/packages in all" "$t0"
