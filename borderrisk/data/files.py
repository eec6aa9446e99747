"""Writing files so that nothing is lost: all or nothing, never a half-written output.

Every output is first written under a temporary name beside it, ``.NAME.PID.RANDOM.tmp``, then
renamed into place. A writer killed before the rename leaves that temporary file (or folder);
the next write of the same output removes it, because its process id no longer runs.
Failures name the user's path, never the temporary one.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _temporary_name(path: Path) -> Path:
    return _folder(path) / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def remove_stale(path: str | Path) -> list[Path]:
    """Remove the temporary files and folders that killed writers of ``path`` left beside it
    (their process no longer runs); returns what was removed."""
    path = Path(path)
    removed = []
    for stale in _folder(path).glob(f".{path.name}.*.tmp"):
        pid = stale.name[len(path.name) + 2 :].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _running(int(pid)):
            continue
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
        removed.append(stale)
    return removed


def _named(error: OSError, path: Path) -> OSError:
    """The same failure, naming the user's path instead of a temporary file."""
    code = error.errno or errno.EIO
    return OSError(code, error.strerror or os.strerror(code), str(path))


def stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a synced temporary file beside ``path`` with the mode ``path`` has (or
    would get); returns the temporary file. The modes are set on the file itself: a new file
    is created 0o666 for the system to apply the umask, a replaced one gets the old mode by
    ``fchmod``, so the process-wide umask is never read by changing it (other threads may be
    creating files meanwhile)."""
    remove_stale(path)
    temporary = _temporary_name(path)
    kept = path.stat().st_mode & 0o777 if path.is_file() else None
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if kept is None else kept)
        with os.fdopen(fd, "wb") as handle:
            if kept is not None:
                os.fchmod(handle.fileno(), kept)  # the bits the umask took from the old mode
            write_synced(handle, data)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _named(error, path) from None
        raise
    return temporary


def write_synced(handle: BinaryIO, data: bytes) -> None:
    """Write ``data`` and wait until the disk has it (where a full disk shows itself)."""
    handle.write(data)
    handle.flush()
    os.fsync(handle.fileno())


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder, fsync and rename:
    readers see the old file or the new one, never a mix, and a failure leaves the old one.
    ``-`` writes to stdout."""
    atomic_write_all([(path, data)])


def atomic_write_all(outputs: Iterable[tuple[str | Path, bytes]]) -> None:
    """Write several files all or nothing: every one is staged (written and synced under a
    temporary name) before any is renamed into place, so a failure while writing (a full disk,
    a killed process) replaces none of them. ``-`` writes to stdout, after the files."""
    outputs = list(outputs)
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in outputs:
            if str(path) != "-":
                staged.append((Path(path), stage(Path(path), data)))
        for path, temporary in staged:
            try:
                os.replace(temporary, path)
            except OSError as error:
                raise _named(error, path) from None
    finally:
        for _, temporary in staged:
            temporary.unlink(missing_ok=True)
    for folder in {_folder(path) for path, _ in staged}:
        fsync_folder(folder)
    for path, data in outputs:
        if str(path) == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the file system allows it)."""
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


def write_partitioned(
    frames: Any, folder: str | Path, rows: int, *, replace: bool = False, extra: dict[str, bytes] | None = None
) -> tuple[int, int]:
    """Write a GeoDataFrame, or GeoDataFrames one after the other (a batch source), as a
    GeoParquet dataset of ``rows`` rows a file (``part.00000.parquet`` ..., in order) in a new
    folder, all or nothing: it is built under a temporary name, then renamed. Only one file's
    rows are held at a time. Returns the rows and the files written.

    With ``replace``, an existing dataset is swapped for the new one (:func:`swap_folder`);
    ``extra`` files (name -> bytes, hidden names such as ``.fetch.json``) are written beside
    the partitions before, so they change with the data or not at all."""
    import geopandas as gpd
    import pandas as pd

    folder = Path(folder)
    remove_stale(folder)
    if replace:
        restore_previous(folder)
    building = _temporary_name(folder)
    pending: list[Any] = []
    held = 0  # the rows in pending
    counts = {"rows": 0, "files": 0}

    def flush(parts: list[Any]) -> None:
        part = pd.concat(parts) if len(parts) > 1 else parts[0]
        path = building / f"part.{counts['files']:05d}.parquet"
        part.reset_index(drop=True).to_parquet(path, compression="zstd")
        add_licences(path, part)
        counts["rows"] += len(part)
        counts["files"] += 1

    try:
        building.mkdir()
        empty = gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
        for frame in [frames] if hasattr(frames, "iloc") else frames:
            empty = frame.iloc[:0]
            while len(frame):
                piece = frame.iloc[: rows - held]
                pending.append(piece)
                held += len(piece)
                frame = frame.iloc[len(piece) :]
                if held == rows:
                    flush(pending)
                    pending, held = [], 0
        if pending or not counts["files"]:
            flush(pending or [empty])
        for name, data in (extra or {}).items():
            with open(building / name, "wb") as handle:
                write_synced(handle, data)
        if replace:
            swap_folder(building, folder)
        else:
            os.rename(building, folder)
    except OSError as error:
        shutil.rmtree(building, ignore_errors=True)
        raise _named(error, folder) from None
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return counts["rows"], counts["files"]


#: The GeoParquet metadata key holding the licences of a file's rows (JSON, a list of objects).
LICENCES_KEY = b"borderrisk:licences"


def add_licences(path: Path, part: Any) -> None:
    """Write the terms of the sources of ``part``'s rows (its ``origin`` column) into the
    metadata of the GeoParquet file ``path`` just written from it, so they travel with the
    file. pandas cannot add metadata while writing: the file is written again (a part is at
    most a few hundred thousand rows)."""
    import json

    import pyarrow.parquet as pq

    from borderrisk.data.formats.licences import licences_of

    licences = licences_of([part])
    if not licences:
        return
    table = pq.read_table(path)
    cited = json.dumps([licence.as_dict() for licence in licences]).encode()
    pq.write_table(
        table.replace_schema_metadata({**(table.schema.metadata or {}), LICENCES_KEY: cited}), path, compression="zstd"
    )


#: Linux's renameat2 flag that swaps two paths in one step.
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2``); False where the system
    cannot."""
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    done = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _previous(folder: Path) -> Path:
    return _folder(folder) / f".{folder.name}.previous"


def swap_folder(built: Path, folder: Path) -> None:
    """Put the folder ``built`` in the place of ``folder``: readers see the old folder or the
    new one, never a mix. On Linux the two are exchanged in one step; elsewhere the old one is
    first renamed aside (``.NAME.previous``), which :func:`restore_previous` puts back if the
    process dies between the two renames. ``built`` is gone afterwards."""
    if not folder.exists():
        os.rename(built, folder)
    elif _exchange(built, folder):
        shutil.rmtree(built)  # it now holds the old folder
    else:
        previous = _previous(folder)
        shutil.rmtree(previous, ignore_errors=True)
        os.rename(folder, previous)
        os.rename(built, folder)
        shutil.rmtree(previous)
    fsync_folder(_folder(folder))


def restore_previous(folder: str | Path) -> bool:
    """Put back a folder that :func:`swap_folder` renamed aside when its process died before
    the new one took its place; True if it did."""
    folder = Path(folder)
    previous = _previous(folder)
    if folder.exists() or not previous.is_dir():
        return False
    os.rename(previous, folder)
    return True
