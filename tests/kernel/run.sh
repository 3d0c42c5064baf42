#!/usr/bin/env bash
# Builds the kernel, installs its kernelspec into a throwaway prefix, and runs the Jupyter-side
# tests (jupyter_kernel_test conformance + tests/kernel/test_behaviour.py, test_packages.py …) against it.
# Usage: tests/kernel/run.sh [pytest args…]
set -euo pipefail
cd "$(dirname "$0")/../.."

# Debian's Jupyter packages; the python3 first on PATH may be a pyenv build without them.
PY=/usr/bin/python3
if ! "$PY" -c "import jupyter_kernel_test, jupyter_client, nbclient, pytest, zmq" 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get install -y -qq python3-jupyter-kernel-test jupyter-client python3-nbclient python3-pytest python3-zmq >/dev/null 2>&1) \
      || (apt-get update -qq && apt-get install -y -qq python3-jupyter-kernel-test jupyter-client python3-nbclient python3-pytest python3-zmq >/dev/null)
  else
    echo "run.sh: install python3-jupyter-kernel-test jupyter-client python3-pytest (apt) first" >&2
    exit 1
  fi
fi

# test_browser.py: the classic Notebook in headless Chromium (skipped when these are missing and we are not root).
if [ "$(id -u)" = 0 ] && ! { command -v chromium >/dev/null && "$PY" -c "import notebook.notebookapp" 2>/dev/null; }; then
  apt-get install -y -qq --no-install-recommends chromium python3-notebook >/dev/null 2>&1 \
    || (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium python3-notebook >/dev/null) \
    || echo "run.sh: could not install chromium/python3-notebook; test_browser.py will be skipped" >&2
fi

dotnet build src/StyleLab.Kernel -nologo -v quiet
# A real F#-based library for the #r test (Plotly.NET brings FSharp.Core).
dotnet build tests/kernel/fixtures/PlotlyFixture -nologo -v quiet

prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
dotnet run --project src/StyleLab.Kernel --no-build -- install --prefix "$prefix"
# The plain "C#" kernel, for test_packages.py (#r "nuget: …" with nothing preloaded).
dotnet run --project src/StyleLab.Kernel --no-build -- install --plain --prefix "$prefix"
export JUPYTER_PATH="$prefix/share/jupyter"

"$PY" -m pytest -q -p no:cacheprovider tests/kernel "$@"
