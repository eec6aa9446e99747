"""Where a command reads and writes, checked in one place before any work.

Inputs: :func:`input_path` and :func:`read_input` accept a regular file (or a folder where the
caller accepts one) of sane size; a FIFO, a device (``/dev/zero``), a socket or a missing path is
refused at once, with the user's path in the message, before anything opens it.

Outputs: :func:`check_outputs` refuses, all at once and before any input is read, an output that
is one of the inputs (compared as real files: links, ``./x`` and hard links included), has an
extension its format does not write, lies in a folder that does not exist or cannot be written,
is given twice, or is a read-only file. A command writes all its outputs or none.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from borderrisk.data.bounds import size_text
from borderrisk.data.errors import InputError, Problem, RequestError

#: Size bounds, in bytes: data files (CSV, GIS, exports) may be big; a JSON document is read
#: whole into memory; a TOML settings file is small by nature.
DATA_MAX_BYTES = 64 * 2**30
DOCUMENT_MAX_BYTES = 512 * 2**20
SETTINGS_MAX_BYTES = 4 * 2**20


#: Where the kernel's files live: they read as regular files of size 0, then block, never end
#: or fail (``/proc/self/mem``: "Input/output error").
SYSTEM_FOLDERS = ("/proc/", "/sys/", "/dev/")


def _refusal(path: str | Path, folder: bool, max_bytes: int) -> str | None:
    """Why ``path`` cannot be read as an input, or None when it can."""
    if str(path) == "":
        return "an empty path names no file"
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "no such file or folder" if folder else "no such file"
    except NotADirectoryError:
        return "no such file (a part of the path is not a folder)"
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if stat.S_ISDIR(info.st_mode):
        if not folder:
            return "is a folder; give a file"
        return None if os.access(path, os.R_OK | os.X_OK) else "cannot be read: permission denied"
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
        return f"is {kind}, not a regular file; inputs are read from files"
    if os.path.realpath(path).startswith(SYSTEM_FOLDERS):
        return "is a file of the system (/proc, /sys, /dev), not data; inputs are read from files"
    if info.st_size > max_bytes:
        return f"is {size_text(info.st_size)}, more than the {size_text(max_bytes)} an input of this kind may be"
    if not os.access(path, os.R_OK):
        return "cannot be read: permission denied"
    return None


def input_path(path: str | Path, *, folder: bool = False, max_bytes: int = DATA_MAX_BYTES) -> Path:
    """``path`` checked as an input, without opening it: a regular file no bigger than
    ``max_bytes`` (or, with ``folder``, a folder). Raises :class:`InputError` naming the path."""
    refusal = _refusal(path, folder, max_bytes)
    if refusal:
        raise InputError([Problem(str(path) or "''", "", "", refusal)])
    return Path(path)


def input_refusal(path: str | Path, *, folder: bool = False) -> str | None:
    """Why ``path`` is not a usable input (for option types that fail as usage errors)."""
    return _refusal(path, folder, DATA_MAX_BYTES)


def read_input(path: str | Path, *, max_bytes: int = DOCUMENT_MAX_BYTES) -> bytes:
    """The bytes of an input file, read through one bounded read: a FIFO or device never
    blocks (it is refused before it is opened, and opened non-blocking), and a file that grows
    past ``max_bytes`` while it is read is refused."""
    path = input_path(path, max_bytes=max_bytes)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between the check and the open
            raise InputError([Problem(str(path), "", "", "is not a regular file; inputs are read from files")])
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError([Problem(str(path), "", "", f"is more than the {size_text(max_bytes)} it may be")])
    return data


def read_input_text(path: str | Path, *, max_bytes: int = DOCUMENT_MAX_BYTES) -> str:
    """An input file as UTF-8 text (a byte-order mark is allowed); bytes that are not UTF-8
    are reported with their line."""
    data = read_input(path, max_bytes=max_bytes)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = f"is not UTF-8 text (byte {error.start + 1}: {error.reason}); save it as UTF-8"
        raise InputError([Problem(str(path), f"line {line}", "", message)]) from None


@dataclass(frozen=True)
class OutputFormat:
    """What an output may be: a file with one of ``suffixes``, or a new folder."""

    name: str
    suffixes: tuple[str, ...] = ()
    folder: bool = False
    stdout: bool = False


MAP_OUTPUT = OutputFormat("a map", (".html", ".htm", ".png", ".pdf"), stdout=True)
DATASET_OUTPUT = OutputFormat("a GeoParquet dataset", folder=True)
ANNOTATIONS_OUTPUT = OutputFormat("an annotations file", (".geojson", ".json"))
CHART_OUTPUT = OutputFormat("a chart", (".png", ".svg"))
CONFIG_OUTPUT = OutputFormat("a risk config", (".toml",))


def _identity(path: Path) -> tuple[int, int] | str:
    """The file ``path`` names: its device and inode when it exists (so links and hard links
    are the same file), else its resolved real path."""
    try:
        info = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return info.st_dev, info.st_ino


def _output_problem(text: str, path: Path, fmt: OutputFormat) -> str | None:
    if fmt.folder:
        if path.exists() or path.is_symlink():
            return f"{text} exists; name a new folder"
    else:
        if path.is_dir():
            return f"{text} is a folder; name a file ending in {_listed(fmt.suffixes)}"
        if path.suffix.lower() not in fmt.suffixes:
            found = f"{path.suffix!r}" if path.suffix else "no extension"
            return f"{text} has {found}; {fmt.name} is written as {_listed(fmt.suffixes)}"
    parent = path.parent
    if not parent.is_dir():
        return f"{text}: the folder {str(parent)!r} does not exist"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"{text}: the folder {str(parent)!r} is not writable"
    if path.is_file() and not (os.access(path, os.W_OK) and path.stat().st_mode & stat.S_IWUSR):
        return f"{text} is read-only; it is not replaced"  # by its mode too: root may write anything
    return None


def _listed(suffixes: tuple[str, ...]) -> str:
    return ", ".join(suffixes[:-1]) + f" or {suffixes[-1]}" if len(suffixes) > 1 else suffixes[0]


def check_outputs(
    outputs: Iterable[str | Path], fmt: OutputFormat, inputs: Iterable[str | Path | None] = ()
) -> list[Path]:
    """The outputs as paths, after every check that can fail before work starts; raises
    :class:`RequestError` listing every bad output by the path the user gave."""
    readers: dict[tuple[int, int] | str, str] = {}
    for given in inputs:
        if given is not None and str(given) not in ("", "-"):
            readers.setdefault(_identity(Path(given)), str(given))
    problems: list[str] = []
    seen: dict[tuple[int, int] | str, str] = {}
    checked = []
    for given in outputs:
        text = str(given)
        if text == "":
            problems.append("an empty output path ('') names no file")
            continue
        if text == "-":
            if not fmt.stdout:
                problems.append(f"'-' (stdout) is not an output for {fmt.name}")
            elif "-" in seen:
                problems.append("'-' (stdout) is given twice as an output")
            seen["-"] = "-"
            checked.append(Path(text))
            continue
        path = Path(text)
        identity = _identity(path)
        if identity in readers:
            same = "" if readers[identity] == text else f" ({readers[identity]})"
            problems.append(f"{text} is also an input{same}; an input is never overwritten, choose another output")
        elif identity in seen:
            same = "" if seen[identity] == text else f" (as {seen[identity]})"
            problems.append(f"{text} is given twice as an output{same}")
        else:
            problem = _output_problem(text, path, fmt)
            if problem:
                problems.append(problem)
        seen.setdefault(identity, text)
        checked.append(path)
    if problems:
        raise RequestError(problems)
    return checked
