"""Which big database files passed the page check (PRAGMA quick_check) and have not changed since.

Belongs here: the stamp of a file that passed a full page check — what the file system says about it and its WAL
(device, inode, size, modification and change times in nanoseconds) plus its 100-byte SQLite header and the WAL's
32-byte header — kept in `page-checks.json` of the data folder, and the question whether a file still matches it.

Why: a command that only reads (`figures`, `report`, `stats` …) refuses a damaged file as the GUI does, but reading
every page of a 250 MB year costs ~0.3 s each time, growing with the file — more than the command's own work when
its figures come from the cache. The damage the check is there for (a copy cut short, a power cut, a stick pulled
out, another program writing the file) all change the file: its size, its modification time, and on Linux its
change time (ctime), which no program can set back. (On Windows st_ctime is the creation time; there the stamp rests
on size, modification time and the two headers — only a deliberate act that writes the same size and puts the time
back would slip past, and the GUI's check at start-up finds it.) So a file whose stamp still matches is the same bytes that passed the check: a read-only command skips
reading every page again, and the page check runs once per change of the file, not once per look. A file that
changed (a write by the GUI or a command, a restore, a copy over it) is checked in full again, as before.
What a stamp does not cover — bits decaying on the disk without any write — the next full check finds: the GUI's
page check on every start, every writing command, and `check`.

Small files (below integrity.DEFER_CHECK_BYTES) are never stamped: their check costs next to nothing. A stamp is
taken from the facts read *before* the check, so a write racing the check leaves a stamp that no longer matches.
The stamp file is a convenience: when it cannot be read or written, every file is simply checked in full.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from safetymonth_desktop.base import paths

STAMP_FILE = "page-checks.json"
KEEP = 20  # files remembered (the clerk's databases and their backups opened last)


def facts(path) -> str | None:
    """A digest of what says the file (and its WAL) changed, or None when it cannot be read."""
    path = Path(path)
    parts = []
    try:
        for member, head in ((path, 100), (Path(str(path) + "-wal"), 32)):
            try:
                st = os.stat(member)
            except FileNotFoundError:
                parts.append("-")
                continue
            with open(member, "rb") as fh:
                header = fh.read(head)
            parts.append(f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{header.hex()}")
    except OSError:
        return None
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _key(path) -> str:
    return str(Path(path).resolve())


def _stamps() -> dict:
    try:
        data = json.loads((paths.data_dir() / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def unchanged(path) -> bool:
    """True when `path` passed a full page check and nothing about it has changed since."""
    stamp = _stamps().get(_key(path))
    return stamp is not None and stamp == facts(path)


def remember(path, checked_facts: str | None) -> None:
    """Record that `path`, as `checked_facts` (taken before its check) described it, passed the page check."""
    if checked_facts is None:
        return
    stamps = _stamps()
    stamps.pop(_key(path), None)
    stamps[_key(path)] = checked_facts
    _write(dict(list(stamps.items())[-KEEP:]))


def forget(path) -> None:
    """Drop the stamp of `path` (it failed a check)."""
    stamps = _stamps()
    if stamps.pop(_key(path), None) is not None:
        _write(stamps)


def _write(stamps: dict) -> None:
    target = paths.data_dir() / STAMP_FILE
    tmp = target.with_name(f"{STAMP_FILE}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(stamps, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
