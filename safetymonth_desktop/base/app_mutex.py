"""The named mutex that tells the Windows installer and uninstaller the program is running.

packaging/installer.iss names these mutexes in `AppMutex`; Inno Setup checks for them when setup or the
uninstaller starts and asks the clerk to close the program first (its SetupAppRunningError /
UninstallAppRunningError messages), instead of replacing or deleting files the running program holds open.
Inno Setup's documentation for AppMutex: the application must create a mutex of that name at start-up
(CreateMutex with no initial owner); it need not destroy it, Windows does so when the process ends.
https://jrsoftware.org/ishelp/topic_setup_appmutex.htm

Two names: the plain one lives in the clerk's session; the `Global\\` one is seen from other sessions too
(an administrator running the "all users" installer from another account or over Remote Desktop).
tests/packaging/test_installer.py checks that installer.iss names exactly these.

Elsewhere than Windows this does nothing. No Qt here: the GUI start-up (ui/app.py) calls `hold()` once.
"""

from __future__ import annotations

import sys

MUTEX_NAME = "safetymonth-desktop-9B6F41F2-running"
MUTEX_NAMES = (MUTEX_NAME, "Global\\" + MUTEX_NAME)

_handles: list[int] = []  # kept open for the life of the process: closing the last handle removes the mutex


def hold() -> int:
    """Create (or open, when another window already did) the mutexes named in installer.iss and keep them
    for the life of the process. Returns how many are held; 0 off Windows. Never raises: a mutex that cannot
    be created only means the installer cannot warn about a running program."""
    if sys.platform != "win32" or _handles:
        return len(_handles)
    try:
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        create = kernel32.CreateMutexW
        create.argtypes = [ctypes.c_void_p, wintypes.BOOL, wintypes.LPCWSTR]
        create.restype = wintypes.HANDLE
    except (ImportError, OSError, AttributeError):
        return 0
    for name in MUTEX_NAMES:
        handle = create(None, False, name)
        if handle:
            _handles.append(handle)
    return len(_handles)
