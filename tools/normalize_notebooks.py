"""Gives every cell of the notebooks under notebooks/ a stable id (nbformat 4.5) and clears outputs,
so nbformat does not warn and diffs stay small. Run with Debian's /usr/bin/python3 (python3-nbformat)."""
import glob
import hashlib
import nbformat

for path in sorted(glob.glob("notebooks/*.ipynb")):
    nb = nbformat.read(path, as_version=4)
    nb.nbformat_minor = max(nb.nbformat_minor, 5)
    for index, cell in enumerate(nb.cells):
        # Deterministic ids: the same notebook always gets the same ids.
        cell["id"] = cell.get("id") or hashlib.sha1(f"{path}:{index}".encode()).hexdigest()[:8]
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.validate(nb)
    nbformat.write(nb, path)
    print(f"{path}: {len(nb.cells)} cells")
