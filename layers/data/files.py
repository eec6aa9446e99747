"""Writing files so that nothing is lost: all or nothing, never a half-written output."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder, fsync and rename:
    readers see the old file or the new one, never a mix, and a failure leaves the old one.
    ``-`` writes to stdout."""
    if str(path) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename is still atomic
    finally:
        os.close(fd)


def write_partitioned(frame: Any, folder: str | Path, rows: int) -> int:
    """Write a GeoDataFrame as a GeoParquet dataset (files ``part.00000.parquet`` ..., in order)
    in a new folder, all or nothing: it is built under a temporary name, then renamed."""
    import shutil

    folder = Path(folder)
    building = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent if str(folder.parent) else "."))
    try:
        starts = range(0, max(len(frame), 1), rows)
        for number, start in enumerate(starts):
            frame.iloc[start : start + rows].to_parquet(building / f"part.{number:05d}.parquet", compression="zstd")
        os.rename(building, folder)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return len(starts)
