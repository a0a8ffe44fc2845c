"""Facts about the files that paths name, for every writer and for the database's own machinery: whether
two paths name the same file, whether a path lies inside a folder, whether a file system ignores case, and
whether an existing file is read-only.

Paths are compared as the files they name, not as strings: symlinks and `..` are resolved, existing files
are compared with os.path.samefile (hard links, case-insensitive file systems), and names that differ only
in case count as the same file where the file system ignores case (Windows, macOS, FAT/exFAT sticks).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path


def _real(path) -> str:
    return os.path.realpath(os.path.abspath(os.fspath(path)))


def same_file(a, b) -> bool:
    """Whether paths `a` and `b` name the same file (existing or not)."""
    a, b = os.fspath(a), os.fspath(b)
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    except OSError:
        pass
    real_a, real_b = _real(a), _real(b)
    if os.path.normcase(real_a) == os.path.normcase(real_b):
        return True
    if real_a.casefold() != real_b.casefold():
        return False
    return ignores_case(os.path.dirname(real_a))


def is_within(path, folder) -> bool:
    """Whether `path` is `folder` or lies inside it (after resolving both)."""
    real_folder = _real(folder)
    current = _real(path)
    while True:
        if same_file(current, real_folder):
            return True
        parent = os.path.dirname(current)
        if parent == current:
            return False
        current = parent


_case_cache: dict[str, bool] = {}


def ignores_case(folder: str) -> bool:
    """Whether the file system holding `folder` treats names that differ in case as one file."""
    if sys.platform in ("win32", "darwin"):
        return True
    probe = folder
    while probe and not os.path.isdir(probe):  # the nearest existing folder is on the same file system
        parent = os.path.dirname(probe)
        if parent == probe:
            return False
        probe = parent
    if probe in _case_cache:
        return _case_cache[probe]
    answer = False
    try:
        with os.scandir(probe) as entries:
            for n, entry in enumerate(entries):
                if n > 200:
                    break
                other = entry.name.swapcase()
                if other != entry.name:
                    other_path = os.path.join(probe, other)
                    answer = os.path.lexists(other_path) and os.path.samefile(entry.path, other_path)
                    break
    except OSError:
        answer = False
    _case_cache[probe] = answer
    return answer


def is_read_only(path: Path) -> bool:
    """Whether an existing file is read-only (no write bit at all, or not writable by this user)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    if not stat.S_ISREG(mode):
        return False
    return not (mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) or not os.access(path, os.W_OK)
