"""Peak resident memory, printed by every benchmark beside its times.

Linux keeps a process's high-water mark of resident memory (``VmHWM`` in
``/proc/self/status``) and lets the process reset it (writing ``5`` to
``/proc/self/clear_refs``), so one process can give the peak of each step it times. Child
processes are measured whole: :func:`run_measured` returns the peak of the child alone
(``wait4``'s ``ru_maxrss``) with its CPU time.
"""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import time
from pathlib import Path
from typing import Any

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def peak_rss_mb() -> float:
    """This process's peak resident memory since start or the last :func:`reset_peak`, MB."""
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """This process's resident memory now, MB."""
    for line in _STATUS.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    """Start a new peak from the memory resident now (where the kernel allows it)."""
    with contextlib.suppress(OSError):
        _CLEAR_REFS.write_text("5")


def run_measured(args: list[str], **kwargs: Any) -> dict[str, Any]:
    """Run a child process to its end: wall and CPU seconds, peak RSS (MB), output."""
    start = time.perf_counter()
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs
    )
    # communicate() reaps the child itself; read the pipes in threads and reap with wait4.
    import threading

    out: dict[str, str] = {}

    def read(name: str, stream: Any) -> None:
        out[name] = stream.read()

    readers = [
        threading.Thread(target=read, args=(name, stream))
        for name, stream in (("stdout", process.stdout), ("stderr", process.stderr))
    ]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    for reader in readers:
        reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "returncode": process.returncode,
        "wall": time.perf_counter() - start,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "stdout": out.get("stdout", ""),
        "stderr": out.get("stderr", ""),
    }
