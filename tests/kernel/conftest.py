import os
import sys

# Run under /usr/bin/python3 (Debian's Jupyter packages) with JUPYTER_PATH pointing at the
# kernelspec that tests/kernel/run.sh installs.
sys.path.insert(0, os.path.dirname(__file__))
