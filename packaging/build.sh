#!/usr/bin/env bash
# Build the one-folder bundle dist/safetymonth/ from packaging/safetymonth.spec on Linux, then smoke-test it
# (packaging/smoke.sh). The Windows counterpart is packaging/build_windows.ps1.
#
# Usage (from anywhere):
#   packaging/build.sh                    # fresh build venv in build/venv from packaging/requirements-windows.txt
#                                         # (the pins are the same on Linux; every package has a Linux wheel)
#   packaging/build.sh --python PY        # use an interpreter that already has the app's dependencies
#                                         # (PyInstaller is pip-installed into it when missing)
#   packaging/build.sh --no-smoke         # build only
# Prints the build time and the bundle size; exit status non-zero when the build or the smoke test fails.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

PY=""
SMOKE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --python) PY="$2"; shift 2 ;;
    --no-smoke) SMOKE=0; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

REQUIREMENTS="$ROOT/packaging/requirements-windows.txt"
if [ -z "$PY" ]; then
  if [ ! -x build/venv/bin/python ]; then
    python3 -m venv build/venv
  fi
  PY="$ROOT/build/venv/bin/python"
  "$PY" -m pip install -q -r "$REQUIREMENTS"
fi

if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  pin="$(grep -i '^pyinstaller==' "$REQUIREMENTS" | head -1)"
  "$PY" -m pip install -q "${pin:-pyinstaller}"
fi

echo "== building with $("$PY" -m PyInstaller --version 2>/dev/null | sed 's/^/PyInstaller /') ($PY)"
start=$(date +%s%N)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" "$ROOT/packaging/safetymonth.spec"
end=$(date +%s%N)
BUNDLE="$ROOT/dist/safetymonth"
awk -v ns=$((end - start)) 'BEGIN { printf "== build time: %.1f s\n", ns / 1e9 }'
echo "== bundle: $BUNDLE, $(du -sh "$BUNDLE" | cut -f1) ($(du -sb "$BUNDLE" | cut -f1) bytes), $(find "$BUNDLE" -type f | wc -l) files"

if [ "$SMOKE" = 1 ]; then
  bash "$ROOT/packaging/smoke.sh" "$BUNDLE" "$PY"
fi
