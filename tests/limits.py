"""Running a command under memory and CPU limits, as a hostile input's test needs: a command
that would take unbounded memory or time fails the test by being killed, not by a clock."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

#: Memory a command may allocate (RLIMIT_DATA: heap and anonymous mappings), and CPU seconds.
MEMORY_MB = 1_000
CPU_SECONDS = 60


def bounded(*args: str | Path, memory_mb: int = MEMORY_MB, cpu_seconds: int = CPU_SECONDS):
    """``borderrisk ARGS`` in a child process that the kernel stops past ``memory_mb`` of data
    or ``cpu_seconds`` of CPU; returns the completed process (stdout and stderr as text)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_DATA, (memory_mb * 2**20, memory_mb * 2**20))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))

    command = [sys.executable, "-m", "borderrisk.cli", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, preexec_fn=limit, stdin=subprocess.DEVNULL)


def refused_within_limits(done: subprocess.CompletedProcess, *named: str | Path) -> None:
    """The bounded command ended by itself with exit 1 and one message naming ``named``: not
    killed (a signal), not out of memory, not a crash."""
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "internal error" not in done.stderr and "MemoryError" not in done.stderr, done.stderr[-2000:]
    for text in named:
        assert str(text) in done.stderr, done.stderr[-2000:]
