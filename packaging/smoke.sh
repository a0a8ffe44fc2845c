#!/usr/bin/env bash
# Smoke test of a built Linux bundle: runs the bundled executables the way a clerk and IT would.
#
# Usage: packaging/smoke.sh [BUNDLE_DIR] [PYTHON]
#   BUNDLE_DIR  default dist/safetymonth;  PYTHON  any Python 3 (only used to read JSON, zip files and the
#               checkout's command list), default python3.
#
# Checks, each printed as "ok …" or "FAIL …"; exit status 1 if any failed:
#   - files the program needs are inside: resources/ (every file of the checkout's resources/), Qt's Chinese
#     translation qtbase_zh_CN.qm, python-docx's default template; no bundled library misses a Qt library
#     (the excluded QtQuick/QtQml must not be needed by anything that was kept);
#   - `--version` prints the package version; `demo`, `figures --json`, `check`, `backup` work on a fresh
#     database; bad input gives a Chinese error, exit status 1 and no traceback;
#   - every command the checkout registers (cli.COMMANDS) answers `--help` in the bundle; when the checkout has
#     `report`, `stats` and `template`, they are run and their .docx/.xlsx files opened as zip archives
#     (`report` also with a custom template, which runs in a worker process);
#   - when the checkout has the GUI (safetymonth_desktop/ui/app.py), the windowed executable is started
#     offscreen and must still be running, without a traceback, after 8 seconds.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUNDLE="${1:-$ROOT/dist/safetymonth}"
PY="${2:-python3}"
BUNDLE="$(cd "$BUNDLE" && pwd)"
EXE="$BUNDLE/safetymonth"
CLI="$BUNDLE/safetymonth-cli"
INTERNAL="$BUNDLE/_internal"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DB="$WORK/smoke.sqlite"
YEAR=2021
failures=0

ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# run NAME EXPECTED_STATUS CMD... : runs CMD with stdout/stderr in $WORK/NAME.out/.err, checks status and no traceback
run() {
  local name="$1" expected="$2"; shift 2
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
  local status=$?
  if [ "$status" != "$expected" ]; then
    fail "$name: exit status $status, expected $expected"; sed 's/^/     | /' "$WORK/$name.err" | head -20; return 1
  fi
  if grep -q "Traceback" "$WORK/$name.err"; then
    fail "$name: traceback on stderr"; sed 's/^/     | /' "$WORK/$name.err" | head -20; return 1
  fi
  ok "$name (exit $status)"
}

echo "== smoke test of $BUNDLE"
[ -x "$EXE" ] && [ -x "$CLI" ] && ok "executables safetymonth and safetymonth-cli present" || fail "executables missing"

# --- what must be inside
missing_resources=$(cd "$ROOT/resources" && find . -type f | while read -r f; do
  [ -f "$INTERNAL/resources/$f" ] || echo "$f"; done)
[ -z "$missing_resources" ] && ok "resources/ complete ($(cd "$ROOT/resources" && find . -type f | wc -l) files)" \
  || fail "resources missing from the bundle: $missing_resources"
qm="$(find "$INTERNAL" -name qtbase_zh_CN.qm | head -1)"
[ -n "$qm" ] && ok "Qt Chinese translation ${qm#"$INTERNAL"/}" || fail "qtbase_zh_CN.qm not bundled"
other_qm="$(find "$INTERNAL" -path "$INTERNAL/resources" -prune -o -name '*.qm' ! -name '*_zh_CN.qm' -print | wc -l)"
[ "$other_qm" = 0 ] && ok "no other languages' Qt translations" || fail "$other_qm non-Chinese .qm files bundled"
[ -f "$INTERNAL/docx/templates/default.docx" ] && ok "python-docx templates" || fail "docx/templates/default.docx missing"
[ -f "$INTERNAL/docs/使用说明.html" ] && ok "user guide docs/使用说明.html" || fail "docs/使用说明.html missing"
missing_images=$(grep -o 'src="images/[^"]*"' "$ROOT/docs/使用说明.html" | sed 's/src="//; s/"$//' | while read -r img; do
  [ -f "$INTERNAL/docs/$img" ] || echo "$img"; done | tr '\n' ' ')
[ -z "$missing_images" ] || echo "warn the guide's screenshots are not generated yet: $missing_images"
if command -v ldd >/dev/null; then
  libpath="$INTERNAL:$INTERNAL/PySide6/Qt/lib:$INTERNAL/PySide6"
  unresolved=$(find "$INTERNAL" -name '*.so*' -type f | while read -r f; do
    LD_LIBRARY_PATH="$libpath" ldd "$f" 2>/dev/null | grep 'not found' | grep -i 'libQt6\|pyside\|shiboken' | sed "s|^|${f#"$INTERNAL"/}: |"
  done | sort -u)
  [ -z "$unresolved" ] && ok "every bundled Qt library finds the Qt libraries it links to" \
    || fail "Qt libraries missing: $unresolved"
fi

# --- the command line, as IT uses it
expected_version="$(cd "$ROOT" && "$PY" -c 'from safetymonth_desktop import __version__; print(__version__)')"
if run version 0 "$EXE" --version && grep -qx "safetymonth $expected_version" "$WORK/version.out"; then
  ok "--version says $expected_version"
else
  fail "--version printed '$(cat "$WORK/version.out")', expected 'safetymonth $expected_version'"
fi
if run demo 0 "$CLI" --db "$DB" demo --year $YEAR; then
  grep -q "示例年度" "$WORK/demo.out" && ok "demo printed: $(head -1 "$WORK/demo.out")" || fail "demo printed no 示例年度"
fi
if run figures 0 "$EXE" --db "$DB" figures --year $YEAR --json; then
  if "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1], encoding="utf-8")); assert d["training.sessions"] > 0 and "hazards.by_industry" in d, d' "$WORK/figures.out"; then
    ok "figures --json is JSON with training.sessions = $("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1], encoding="utf-8"))["training.sessions"])' "$WORK/figures.out")"
  else
    fail "figures --json output is not the expected JSON"
  fi
fi
run check 0 "$CLI" --db "$DB" check
if run backup 0 "$CLI" --db "$DB" backup; then
  # each database keeps its backups in its own folder: backups/<database name>/
  [ -n "$(ls "$WORK"/backups/*/safetymonth-*.sqlite 2>/dev/null)" ] && ok "backup written to backups/<数据库名>/" \
    || fail "backup wrote nothing into backups/<数据库名>/"
fi
if run bad-year 1 "$CLI" --db "$DB" figures --year 1999; then
  grep -q "错误" "$WORK/bad-year.err" && ok "bad year refused in Chinese: $(head -1 "$WORK/bad-year.err")" \
    || fail "bad year: no Chinese error message"
fi
echo "not a database" >"$WORK/foreign.sqlite"
if run foreign-file 1 "$CLI" --db "$WORK/foreign.sqlite" check; then
  grep -q "不是本软件的数据库文件" "$WORK/foreign-file.err" && ok "foreign file refused: $(head -1 "$WORK/foreign-file.err" | cut -c1-50)…" \
    || fail "foreign file: unexpected message"
fi

# --- every command the checkout registers must be inside the bundle (they are imported by name)
commands="$(cd "$ROOT" && "$PY" -c 'from safetymonth_desktop.cli import COMMANDS; print(" ".join(COMMANDS))')"
for cmd in $commands; do
  run "help-$cmd" 0 "$CLI" "$cmd" --help
done
has() { case " $commands " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
zip_has() {  # zip_has FILE MEMBER [TEXT]: FILE is a zip holding MEMBER (containing TEXT)
  "$PY" - "$@" <<'EOF'
import sys, zipfile
path, member = sys.argv[1], sys.argv[2]
text = sys.argv[3] if len(sys.argv) > 3 else None
with zipfile.ZipFile(path) as z:
    data = z.read(member).decode("utf-8")
sys.exit(0 if text is None or text in data else 1)
EOF
}
if has report; then
  if run report 0 "$CLI" --db "$DB" report --year $YEAR -o "$WORK/总结.docx"; then
    zip_has "$WORK/总结.docx" word/document.xml "安全生产月" && ok "report: 总结.docx holds the 活动总结 text" \
      || fail "report: 总结.docx is not a Word file with the summary text"
  fi
  # A custom template is rendered in a worker process (multiprocessing 'spawn'): the bundle must start itself
  # as that worker (freeze_support in packaging/entry.py), not a second copy of the program.
  if [ -f "$INTERNAL/resources/templates/default_summary.docx" ]; then
    cp "$INTERNAL/resources/templates/default_summary.docx" "$WORK/自定义模板.docx"
    if run report-custom 0 "$CLI" --db "$DB" report --year $YEAR --no-charts -o "$WORK/自定义.docx" \
        --template "$WORK/自定义模板.docx"; then
      zip_has "$WORK/自定义.docx" word/document.xml "安全生产月" && ok "report with a custom template (worker process)" \
        || fail "report with a custom template: not a Word file with the summary text"
    fi
  fi
else
  echo "skip report: the checkout has no report command yet"
fi
if has stats; then
  if run stats 0 "$CLI" --db "$DB" stats --year $YEAR -o "$WORK/统计表.xlsx"; then
    zip_has "$WORK/统计表.xlsx" xl/workbook.xml && ok "stats: 统计表.xlsx is a workbook" || fail "stats: not an .xlsx"
  fi
else
  echo "skip stats: the checkout has no stats command yet"
fi
if has template; then
  if run template 0 "$CLI" --db "$DB" template --year $YEAR -o "$WORK/填报模板.xlsx"; then
    zip_has "$WORK/填报模板.xlsx" xl/workbook.xml && ok "template: 填报模板.xlsx is a workbook" || fail "template: not an .xlsx"
  fi
else
  echo "skip template: the checkout has no template command yet"
fi

# --- the GUI, offscreen
if [ -f "$ROOT/safetymonth_desktop/ui/app.py" ]; then
  QT_QPA_PLATFORM=offscreen SAFETYMONTH_HOME="$WORK/home" timeout 8 "$EXE" --db "$DB" >"$WORK/gui.out" 2>"$WORK/gui.err"
  status=$?
  if [ "$status" = 124 ] && ! grep -q "Traceback" "$WORK/gui.err"; then
    ok "GUI started offscreen and was still running after 8 s"
  else
    fail "GUI exited with status $status within 8 s (124 = still running)"; sed 's/^/     | /' "$WORK/gui.err" | head -30
  fi
else
  echo "skip GUI: the checkout has no safetymonth_desktop/ui/app.py yet"
fi

if [ "$failures" = 0 ]; then
  echo "== SMOKE OK"
else
  echo "== SMOKE FAILED: $failures check(s)"
  exit 1
fi
