"""Work-arounds for defects of the PySide6 version we ship.

PySide6 6.12.0 returns the result of `SignalInstance.emit()` (True/False) without taking a reference,
so every `signal.emit(...)` made from Python drops one reference to `True`. After a few hundred emits the
interpreter deallocates `True` and aborts ("bool_dealloc"). `emit(signal, *args)` emits and gives the
reference back, only when a probe at import shows the defect, so it is harmless on a fixed PySide6.
Every emit in the application goes through it.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    ping = Signal()


def _emit_drops_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(4):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    if lost > 0:  # give back what the probe itself took
        for _ in range(lost):
            _incref(True)
    return lost >= 4


def _incref(obj) -> None:
    import ctypes  # here, not at the top: only a PySide6 with the defect needs it (start-up time)

    ctypes.pythonapi.Py_IncRef(ctypes.py_object(obj))


EMIT_DROPS_REFERENCE = _emit_drops_a_reference()


def emit(signal, *args) -> None:
    result = signal.emit(*args)
    if EMIT_DROPS_REFERENCE and isinstance(result, bool):
        _incref(result)
