"""Reading a workbook once with python-calamine in a child process with a memory and a time limit.

A Rust allocation that fails aborts the whole process; no Python code can catch it. `xlsx_limits` refuses
what an .xlsx or .ods declares before calamine sees it, but it cannot look into a binary .xls or .xlsb, and
the GUI must survive even what the scan did not foresee. `probe(path)` runs this module as a child process
(`python -m safetymonth_desktop.exchange.calamine_probe`, or the frozen program with `--calamine-probe`),
which limits its own address space to `PROBE_MEMORY` (RLIMIT_AS on Linux and macOS), opens the workbook by
its content as the importer does and reads every sheet whole; the parent waits at most `PROBE_SECONDS`. A
child that aborts, runs out of memory or time becomes a Chinese refusal (AppError) for that file; the
caller's process is untouched. The verdict is remembered per file (path, size, modification time), so the
GUI's preview and its import start the child once.

`vouch(path, bounds)` is what the importer calls before calamine reads a workbook: it probes a workbook the
scan could not vouch for, and every workbook while `isolated()` is on — the GUI wraps its imports in
`with isolated():`.
On Windows there is no RLIMIT_AS: the child still keeps an abort away from the window, and the time limit
holds.
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
import threading
from pathlib import Path

from safetymonth_desktop.base.errors import AppError

PROBE_MEMORY = 1024 * 1024 * 1024  # address space of the child, bytes
PROBE_SECONDS = 120
CHILD_FLAG = "--calamine-probe"

_isolating = contextvars.ContextVar("calamine_probe_isolating", default=False)
_verdicts: dict[tuple, str | None] = {}  # (path, size, mtime) → None (read fine) or the refusal
_lock = threading.Lock()


@contextlib.contextmanager
def isolated():
    """Within this block (on this thread), every workbook checked is first read in a child process."""
    token = _isolating.set(True)
    try:
        yield
    finally:
        _isolating.reset(token)


def isolating() -> bool:
    return _isolating.get()


def vouch(path, bounds) -> None:
    """Probe `path` in a child if the scan could not vouch for it or isolation is on; AppError if the child
    could not read it within the limits."""
    if bounds.vouched and not isolating():
        return
    probe(path)


def probe(path, *, memory: int = PROBE_MEMORY, seconds: float = PROBE_SECONDS) -> None:
    """Read every sheet of `path` with calamine in a limited child process; AppError (Chinese) when the child
    fails, aborts, exceeds `memory` bytes of address space or `seconds`."""
    path = Path(path)
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, memory)
    except OSError as exc:
        raise AppError(f"无法读取文件“{path.name}”:{exc.strerror}。")
    with _lock:
        known = key in _verdicts
        verdict = _verdicts.get(key)
    if not known:
        verdict, final = _run_child(path, memory, seconds)
        if final:  # a time-out or a child that could not start may go otherwise next time
            with _lock:
                if len(_verdicts) > 256:
                    _verdicts.clear()
                _verdicts[key] = verdict
    if verdict is not None:
        raise AppError(verdict)


def command(path: Path, memory: int, answer: Path) -> list[str]:
    """The child's command line: this module under the same interpreter, or the frozen program with
    `--calamine-probe` (packaging/entry.py hands that to `main`). The child writes its answer to `answer`:
    a windowed program on Windows may have no standard output."""
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG, str(path), str(memory), str(answer)]
    return [sys.executable, "-m", __name__, str(path), str(memory), str(answer)]


def _run_child(path: Path, memory: int, seconds: float) -> tuple[str | None, bool]:
    """(None or the refusal, whether that verdict holds for this file whatever the machine's load)."""
    import os
    import subprocess
    import tempfile

    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console window flashing up on Windows
    name = path.name
    handle, answer_path = tempfile.mkstemp(prefix="safetymonth-probe-", suffix=".txt")
    os.close(handle)
    answer = Path(answer_path)
    try:
        try:
            done = subprocess.run(command(path, memory, answer), stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=seconds,
                                  creationflags=flags)
        except subprocess.TimeoutExpired:
            return (f"读取文件“{name}”超过 {seconds:.0f} 秒仍未完成,已停止,未导入。文件可能异常或过大;"
                    "请在 Excel/WPS 中打开后另存为 .xlsx,或拆分为多个文件后再导入。"), False
        except OSError as exc:
            return f"无法启动读取文件“{name}”的子进程({exc.strerror or exc}),未读取。请关闭一些程序后重试。", False
        try:
            said = answer.read_text(encoding="utf-8").strip()
        except OSError:
            said = ""
    finally:
        answer.unlink(missing_ok=True)
    kind, _, detail = said.partition(" ")
    if done.returncode == 0 and kind == "ok":
        return None, True
    limit = f"{memory // (1024 * 1024)} MB"
    if kind == "password":
        return f"文件“{name}”设置了密码,无法读取。请取消密码后另存为 .xlsx 再导入。", True
    if kind == "memory":
        return (f"读取文件“{name}”需要超过 {limit} 内存,已停止,未导入。"
                "请拆分为多个文件,或删除多余的行和列后再导入。"), True
    if kind == "error":
        return (f"文件“{name}”已损坏或格式不正确,无法读取({detail})。"
                "请在 Excel/WPS 中打开后另存为 .xlsx 再试。"), True
    return (f"读取文件“{name}”时内存不足或读取程序异常退出(文件声明的表格尺寸可能异常;读取上限为 {limit} 内存),"
            "已停止,未导入。请在 Excel/WPS 中打开后另存为 .xlsx,或拆分为多个文件后再导入。"), True


def main(argv: list[str]) -> int:
    """The child: limit the address space, open the workbook by its content (as the importer does) and read
    every sheet whole. Writes one line to the answer file: "ok", "password", "memory" or "error <text>"."""
    path, memory, answer = argv[0], int(argv[1]), Path(argv[2])

    def say(text: str) -> None:
        answer.write_text(text, encoding="utf-8")

    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ImportError, ValueError, OSError):
        pass  # Windows, or a hard limit already lower: the time limit and the separate process still hold
    try:
        from python_calamine import CalamineError, CalamineWorkbook, PasswordError
    except MemoryError:
        say("memory")
        return 1
    try:
        try:
            with open(path, "rb") as fh:
                book = CalamineWorkbook.from_filelike(fh)
        except CalamineError:
            book = CalamineWorkbook.from_path(path)
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            sheet.to_python(skip_empty_area=False)
            del sheet
    except PasswordError:
        say("password")
        return 1
    except MemoryError:
        say("memory")
        return 1
    except Exception as exc:  # noqa: BLE001 - whatever calamine raises is a refusal, worded by the parent
        text = " ".join(str(exc).split())[:200] or type(exc).__name__
        say(f"error {text}")
        return 1
    say("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
