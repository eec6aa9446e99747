"""Compressed files read as a stream with two guarantees: a damaged archive (cut short by an
interrupted download, bytes after its end, a bad checksum) is one :class:`InputError` naming the
file and the file inside, never a library's exception; and what it expands to is bounded
(:data:`~borderrisk.data.bounds.UNPACKED_MAX_RATIO`), so a small "zip bomb" is refused in
bounded memory and time instead of filling them.
"""

from __future__ import annotations

import gzip
import io
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

from borderrisk.data.bounds import SHEET_MAX_BYTES, UNPACKED_FREE_BYTES, UNPACKED_MAX_RATIO, size_text
from borderrisk.data.errors import InputError, Problem

#: What the standard library raises on a damaged archive.
DAMAGE = (EOFError, zlib.error, gzip.BadGzipFile, zipfile.BadZipFile)


def damaged(name: str, error: BaseException) -> InputError:
    """The one message for a damaged archive."""
    why = str(error) or type(error).__name__
    return InputError(
        [Problem(name, "", "", f"is damaged ({why}): the download was cut short or altered; download it again")]
    )


class Unpacked(io.RawIOBase):
    """The decompressed bytes of ``inner``, named ``name`` in errors, refused once they pass
    ``UNPACKED_MAX_RATIO`` times the ``packed`` size (beyond the first ``UNPACKED_FREE_BYTES``)."""

    def __init__(self, inner: io.BufferedIOBase, name: str, packed: int) -> None:
        self._inner = inner
        self._name = name
        self._limit = max(UNPACKED_FREE_BYTES, UNPACKED_MAX_RATIO * packed)
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            count = self._inner.readinto(buffer)
        except DAMAGE as error:
            raise damaged(self._name, error) from None
        self._count += count
        if self._count > self._limit:
            raise InputError(
                [
                    Problem(
                        self._name,
                        "",
                        "",
                        f"expands to more than {size_text(self._limit)} ({UNPACKED_MAX_RATIO} times its "
                        f"compressed size, at least {size_text(UNPACKED_FREE_BYTES)}): refused as a "
                        "decompression bomb; decompress it yourself if it is genuine",
                    )
                ]
            )
        return count

    def close(self) -> None:
        self._inner.close()
        super().close()


#: Bytes at the start of a workbook's XML part in which its prolog (declaration, comments)
#: must end; a part whose prolog is longer, or holds a document type, is refused.
PROLOG_MAX_BYTES = 1 << 20
_PROLOG = re.compile(rb"\s*(<\?.*?\?>|<!--.*?-->)?", re.DOTALL)


def check_workbook(path: Path) -> None:
    """Refuse an ``.xlsx`` before any XML parser sees it when a part would expand past
    :data:`~borderrisk.data.bounds.SHEET_MAX_BYTES` or :data:`UNPACKED_MAX_RATIO` times its
    compressed size (by the sizes the archive declares, which reading enforces), or declares a
    document type (``<!DOCTYPE``: the entity expansion of a "billion laughs"; no workbook has
    one)."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.filename.endswith((".xml", ".rels")):
                    continue
                limit = min(SHEET_MAX_BYTES, max(UNPACKED_FREE_BYTES, UNPACKED_MAX_RATIO * info.compress_size))
                if info.file_size > limit:
                    raise _refused(
                        path, info.filename, f"expands to {size_text(info.file_size)}, more than {size_text(limit)}"
                    )
                with archive.open(info) as part:
                    if _has_doctype(part.read(PROLOG_MAX_BYTES)):
                        raise _refused(
                            path, info.filename, "declares a document type (<!DOCTYPE): refused, no workbook has one"
                        )
    except DAMAGE as error:
        raise damaged(str(path), error) from None


def _has_doctype(head: bytes) -> bool:
    """Whether the XML starting with ``head`` declares a document type (or has a prolog too
    long to tell)."""
    position = 0
    while True:
        match = _PROLOG.match(head, position)
        if not match.group(1):
            rest = head[match.end() :]
            return rest.startswith(b"<!") or (not rest and len(head) >= PROLOG_MAX_BYTES)
        position = match.end()


def _refused(path: Path, member: str, why: str) -> InputError:
    return InputError([Problem(f"{path} (file {member} inside)", "", "", why)])
