"""README.md names every Linux system package .ci/run installs on a fresh Debian machine (issue 15, item 11)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def ci_packages() -> list[str]:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    block = re.search(r"packages=\(([^)]*)\)", script).group(1)
    return block.split()


def test_readme_lists_the_ci_packages():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    packages = ci_packages()
    assert "libxcb-keysyms1" in packages and "libxcb-icccm4" in packages  # the bundle's xcb plugin needs them
    command = re.search(r"sudo apt-get install[^`]*", readme).group(0)
    missing = [p for p in packages if not re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", command)]
    assert not missing, f"README's apt-get line lacks {missing}"
