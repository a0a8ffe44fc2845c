"""Helpers for the data-safety tests: the command line in a real subprocess, and small Python programs
run as separate processes (a lock holder, a bulk writer) that report what they are doing on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2021-07-15"


def env():
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "safetymonth_desktop", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", env=env(), cwd=ROOT, **kw)


def spawn(code: str, *args) -> subprocess.Popen:
    """Run `code` in a new Python process (argv[1:] = args), stdout a line-buffered pipe."""
    return subprocess.Popen([sys.executable, "-u", "-c", code, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.PIPE, text=True, encoding="utf-8",
                            env=env(), cwd=ROOT)


def wait_for(proc: subprocess.Popen, marker: str) -> None:
    """Read the child's stdout until a line equal to `marker` (fails if it exits first)."""
    while True:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"child exited before {marker!r}: {proc.stderr.read()}")
        if line.strip() == marker:
            return


# A process that opens the database as the GUI does (write lock held), says "locked", and waits for a line
# on stdin before closing.
HOLDER = """
import sys
from safetymonth_desktop.db.connection import close_database
from safetymonth_desktop.services import safety
safety.start(sys.argv[1])
print("locked", flush=True)
sys.stdin.readline()
close_database()
print("released", flush=True)
"""


def figures(db_path, year=2021) -> dict:
    """`figures --json` of a database as the command line prints it (a fixed day, via the services)."""
    code = ("import sys, json, datetime as dt\n"
            "from safetymonth_desktop.db.connection import open_database, close_database\n"
            "from safetymonth_desktop.services import campaigns, indicators\n"
            "open_database(sys.argv[1])\n"
            "v = indicators.compute_all(campaigns.get(int(sys.argv[2])), today=dt.date(2021, 7, 15))\n"
            "print(json.dumps(indicators.to_json(v), ensure_ascii=False))\n"
            "close_database()\n")
    out = subprocess.run([sys.executable, "-c", code, str(db_path), str(year)], capture_output=True, text=True,
                         encoding="utf-8", env=env(), cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)
