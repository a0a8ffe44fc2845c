"""PySide6 6.12.0 drops a reference to True on every Python-side `signal.emit()` and the interpreter aborts
after a few hundred emits (we exclude that release in pyproject.toml). As a second line of defence every
emit in ui/ goes through `qt_compat.emit`, which repairs the count only where the defect is present."""

import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "safetymonth_desktop" / "ui"


def test_every_emit_in_ui_goes_through_qt_compat():
    offenders = []
    for path in UI.rglob("*.py"):
        if path.name == "qt_compat.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.emit\(", line):
                offenders.append(f"{path.relative_to(UI)}:{number}: {line.strip()}")
    assert offenders == []


def test_wrapper_survives_many_emits(qtbot):
    from PySide6.QtCore import QObject, Signal

    from safetymonth_desktop.ui.qt_compat import emit

    class Source(QObject):
        changed = Signal(int)

    source, seen = Source(), []
    source.changed.connect(seen.append)
    for i in range(2000):
        emit(source.changed, i)
    assert len(seen) == 2000
