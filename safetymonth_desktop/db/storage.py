"""Where the database file lives: is it on a network share?

SQLite's WAL mode needs shared memory between processes and is unsafe on network file systems; there
the database uses the rollback journal (DELETE) and the clerk is warned. The decision is a pure function
(`is_network_location`) over facts gathered by `location_facts`, so it is tested with invented inputs.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

NETWORK_FS_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smbfs", "smb3", "smb2", "9p", "afs", "ceph", "glusterfs", "fuse.sshfs", "sshfs",
    "davfs", "fuse.davfs2", "ncpfs", "coda", "lustre", "gpfs", "fuse.glusterfs", "fuse.cephfs",
})
DRIVE_REMOTE = 4  # GetDriveTypeW


@dataclass(frozen=True)
class LocationFacts:
    """What the decision needs: the absolute path, the platform, and either the Windows drive type of its
    drive or the Linux mount table (mount point, fs type)."""

    path: str
    platform: str
    drive_type: int | None = None
    mounts: tuple[tuple[str, str], ...] = ()


def is_network_location(facts: LocationFacts) -> bool:
    path = facts.path
    if facts.platform == "win32":
        normalised = path.replace("/", "\\")
        if normalised.startswith("\\\\?\\UNC\\"):
            return True
        if normalised.startswith("\\\\") and not normalised.startswith("\\\\?\\") and not normalised.startswith("\\\\.\\"):
            return True  # \\server\share\...
        return facts.drive_type == DRIVE_REMOTE
    fs_type = mount_fs_type(path, facts.mounts)
    return fs_type is not None and (fs_type in NETWORK_FS_TYPES or fs_type.startswith(("nfs", "smb", "cifs")))


def mount_fs_type(path: str, mounts) -> str | None:
    """The fs type of the longest mount point containing `path`."""
    best, best_type = -1, None
    for point, fs_type in mounts:
        prefix = point.rstrip("/") + "/"
        if (path == point or path.startswith(prefix) or point == "/") and len(point) > best:
            best, best_type = len(point), fs_type
    return best_type


def parse_proc_mounts(text: str) -> tuple[tuple[str, str], ...]:
    """(mount point, fs type) pairs of /proc/mounts text (spaces in paths are escaped as \\040)."""
    pairs = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            pairs.append((parts[1].replace("\\040", " "), parts[2]))
    return tuple(pairs)


def location_facts(path: str | os.PathLike) -> LocationFacts:
    """Gather the facts for `path` on this machine."""
    absolute = os.path.abspath(os.fspath(path))
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return LocationFacts(absolute, "win32", drive_type=_windows_drive_type(absolute))
    mounts: tuple = ()
    try:
        mounts = parse_proc_mounts(Path("/proc/mounts").read_text())
        absolute = os.path.realpath(absolute)
    except OSError:
        pass
    return LocationFacts(absolute, sys.platform, mounts=mounts)


def _windows_drive_type(path: str) -> int | None:  # pragma: no cover - Windows only
    import ctypes

    drive = os.path.splitdrive(path)[0]
    if not drive or drive.startswith("\\\\"):
        return None
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")


def on_network(path: str | os.PathLike) -> bool:
    try:
        return is_network_location(location_facts(path))
    except Exception:  # detection must never stop the database from opening
        return False


def network_warning(path) -> str:
    return (f"数据库文件“{path}”位于网络共享文件夹上。网络文件夹断线时数据可能损坏,建议把数据库放在本机硬盘上,"
            "并定期备份;本次已改用适合网络文件夹的保存方式(较慢)。")
