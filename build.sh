#!/usr/bin/env bash
# Builds StyleLab's NuGet packages.
#   ./build.sh pack    StyleLab, StyleLab.Interactive and the StyleLab.Cli tool (+ .snupkg symbols) into
#                      artifacts/packages, a folder usable as a local feed (--add-source artifacts/packages).
# The version is Directory.Build.props' <Version>; CHANGELOG.md says what changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

case "${1:-}" in
  pack)
    rm -rf artifacts/packages
    for project in src/StyleLab src/StyleLab.Interactive src/StyleLab.Cli; do
      dotnet pack "$project" -c Release -nologo -v quiet
    done
    ls -l artifacts/packages
    ;;
  *)
    echo "usage: ./build.sh pack" >&2
    exit 2
    ;;
esac
