"""The work-around for PySide6 6.12.0 dropping a reference to True on every Python-side emit()."""

import sys

from PySide6.QtCore import QObject, Signal

from safetymonth_desktop.ui.qt_compat import emit


class _Sender(QObject):
    changed = Signal(int)


def test_many_emits_keep_the_reference_count_of_true(qapp):
    sender = _Sender()
    got = []
    sender.changed.connect(got.append)
    before = sys.getrefcount(True)
    for i in range(2000):
        emit(sender.changed, i)
    assert len(got) == 2000
    assert abs(sys.getrefcount(True) - before) < 10
