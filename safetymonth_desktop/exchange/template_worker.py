"""Run work on an untrusted file (a clerk's own Word template) in a separate process with hard limits.

`run(func, *args, on_limit=message)` calls the module-level function `func(*args)` in a fresh worker process
(multiprocessing's 'spawn' start method: a new interpreter, nothing shared with the GUI or the database)
and returns its result. `func` should raise AppError for what the clerk can fix; that message comes back
as an AppError here. The worker is bounded:

- Linux/macOS: the OS caps the worker's address space (MEMORY_BYTES, via RLIMIT_AS; macOS does not enforce
  it) and CPU time (CPU_SECONDS, RLIMIT_CPU), and no core file is written;
- everywhere: a wall-clock limit (TIMEOUT_SECONDS) after which the worker is killed. On Windows there is no
  `resource` module: memory there is bounded by the template sandbox (`template_sandbox`) and the size
  checks of the .docx (`docx_safety`), time by this timeout.

When the worker runs out of memory, is killed by a limit or dies any other way (even a native crash), the
caller gets AppError(on_limit) and its own process is untouched; nothing the worker did is written
anywhere, since the result comes back as bytes for the caller to write.

A frozen (PyInstaller) build must call `multiprocessing.freeze_support()` first thing in its entry script
(packaging/entry.py does), or the worker would start a second copy of the program.
"""

from __future__ import annotations

import sys
import time
import traceback

from safetymonth_desktop.base.errors import AppError

MEMORY_BYTES = 1024 * 1024 * 1024
CPU_SECONDS = 20
TIMEOUT_SECONDS = 25


def run(func, *args, on_limit: str, memory: int | None = None, cpu: int | None = None, timeout: float | None = None):
    """`func(*args)` computed in a bounded worker process; AppError(on_limit) when it exceeds a limit or dies.
    `memory`, `cpu`, `timeout`: other limits than MEMORY_BYTES, CPU_SECONDS, TIMEOUT_SECONDS."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(sender, func, args, memory or MEMORY_BYTES, cpu or CPU_SECONDS),
                             name="safetymonth-template", daemon=True)
    try:
        worker.start()
    except OSError as exc:
        receiver.close()
        sender.close()
        raise AppError(f"无法启动模板处理进程({exc.strerror or exc}),未生成任何文件。请关闭一些程序后重试。") from None
    sender.close()  # only the worker writes: its death ends the pipe
    deadline = time.monotonic() + (TIMEOUT_SECONDS if timeout is None else timeout)
    started = outcome = None
    try:
        started = _receive(receiver, deadline)
        if started == ("started",):
            outcome = _receive(receiver, deadline)
    finally:
        receiver.close()
        if outcome is not None:  # answered or died: let it finish; otherwise (time is up) no waiting
            worker.join(timeout=5)
        if worker.is_alive():
            worker.kill()
        worker.join()
    if started is _DIED:  # it never got to run `func`: the program, not the template, is at fault
        raise RuntimeError(f"模板处理进程未能启动(退出码 {worker.exitcode}),详见其错误输出。")
    if outcome in (None, _DIED):
        raise AppError(on_limit)
    status, payload = outcome
    if status == "ok":
        return payload
    if status == "refused":
        raise AppError(payload)
    if status == "limit":
        raise AppError(on_limit)
    raise RuntimeError(f"模板处理进程出错:\n{payload}")  # a bug, not the clerk's file: reported as internal


_DIED = ("died",)


def _receive(receiver, deadline: float):
    """The next message, _DIED when the worker closed the pipe (ended or was killed), None on timeout."""
    if not receiver.poll(max(deadline - time.monotonic(), 0)):
        return None
    try:
        return receiver.recv()
    except (EOFError, OSError):
        return _DIED


def _work(sender, func, args, memory: int, cpu: int) -> None:
    """Body of the worker process: apply the limits, say so, run, send back one (status, payload) tuple."""
    _limit(memory, cpu)
    sender.send(("started",))
    try:
        outcome = ("ok", func(*args))
    except AppError as exc:
        outcome = ("refused", exc.message)
    except MemoryError:
        outcome = ("limit", "")
    except BaseException:  # noqa: BLE001 - reported to the caller, which decides
        outcome = ("crash", traceback.format_exc())
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("limit", ""))
    finally:
        sender.close()


def _limit(memory: int, cpu: int) -> None:
    if sys.platform.startswith("win"):
        return
    import resource

    for kind, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu), (resource.RLIMIT_CORE, 0)):
        _, hard = resource.getrlimit(kind)
        new_hard = value if hard == resource.RLIM_INFINITY or hard > value else hard
        try:
            resource.setrlimit(kind, (min(value, new_hard), new_hard))
        except (ValueError, OSError):  # macOS refuses RLIMIT_AS; the wall-clock limit still holds
            pass
