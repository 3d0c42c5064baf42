#!/usr/bin/env bash
# Executes every notebook under notebooks/ headless through the real Jupyter client (nbconvert),
# fails if any cell produced an error output, and exports each executed notebook as HTML.
#
# Usage: notebooks/run.sh [OUTPUT_DIR [NOTEBOOK…]]   (default: artifacts/notebooks, every notebook)
#   STYLELAB_NOTEBOOK_QUICK  1 (default here, for CI) shrinks sizes and steps; 0 runs the notebooks' defaults
#   STYLELAB_DATA / STYLELAB_WEIGHTS  sample images / weights; default to ../shared next to the repository
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$(mkdir -p "${1:-artifacts/notebooks}" && cd "${1:-artifacts/notebooks}" && pwd)

# Debian's Jupyter: the python3 first on PATH may be a pyenv build without these modules.
PY=/usr/bin/python3
JUPYTER=/usr/bin/jupyter
# libjs-mathjax: the exported HTML renders the equations from a local MathJax, offline.
packages="jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel libjs-mathjax"
if ! "$PY" -c "import nbconvert, nbclient, jupyter_client" 2>/dev/null || [ ! -x "$JUPYTER" ] || [ ! -d /usr/share/javascript/mathjax ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq $packages >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq $packages >/dev/null)
  else
    echo "notebooks/run.sh: install $packages (apt) first" >&2
    exit 1
  fi
fi

export STYLELAB_NOTEBOOK_QUICK=${STYLELAB_NOTEBOOK_QUICK:-1}
if [ -d ../shared ]; then
  export STYLELAB_DATA=${STYLELAB_DATA:-$(cd ../shared/data && pwd)}
  export STYLELAB_WEIGHTS=${STYLELAB_WEIGHTS:-$(cd ../shared/weights && pwd)}
fi

# As a user does it: build, `stylelab kernel install`, then nbconvert (into a throwaway prefix).
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
./stylelab kernel install --prefix "$prefix"
export JUPYTER_PATH="$prefix/share/jupyter"

status=0
shift || true
notebooks=("$@")
[ ${#notebooks[@]} -gt 0 ] || notebooks=(notebooks/*.ipynb)
for notebook in "${notebooks[@]}"; do
  name=$(basename "$notebook" .ipynb)
  echo "== $notebook (quick=$STYLELAB_NOTEBOOK_QUICK)"
  start=$(date +%s)
  # --allow-errors: every cell runs, so one report lists every failing cell, not just the first.
  "$JUPYTER" nbconvert --to notebook --execute --allow-errors --ExecutePreprocessor.timeout=900 \
    --output-dir "$out" --output "$name" "$notebook"
  echo "   executed in $(( $(date +%s) - start )) s"
  "$PY" - "$out/$name.ipynb" <<'PYEOF' || status=1
import sys, nbformat
notebook = nbformat.read(sys.argv[1], as_version=4)
errors = [(i, o) for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"
          for o in cell.get("outputs", []) if o.get("output_type") == "error"]
for i, o in errors:
    print(f"   cell {i}: {o.get('ename')}: {o.get('evalue')}", file=sys.stderr)
sys.exit(1 if errors else 0)
PYEOF
  "$JUPYTER" nbconvert --to html --output-dir "$out" --output "$name" "$out/$name.ipynb"
done
[ $status = 0 ] && echo "all notebooks ran without errors; executed copies and HTML in $out" || echo "notebooks/run.sh: error outputs above" >&2
exit $status
