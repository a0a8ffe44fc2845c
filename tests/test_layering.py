"""Nothing below ui/ imports Qt: the data, services, exchange and command-line layers run without it."""

import subprocess
import sys


def test_non_ui_layers_do_not_import_pyside6():
    code = (
        "import sys, pkgutil, importlib\n"
        "import safetymonth_desktop.cli, safetymonth_desktop.paths\n"
        "for pkg in ('db', 'services', 'exchange', 'commands'):\n"
        "    base = importlib.import_module('safetymonth_desktop.' + pkg)\n"
        "    for info in pkgutil.walk_packages(base.__path__, base.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "safetymonth_desktop.cli.build_parser()\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6') or m.startswith('shiboken')]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
