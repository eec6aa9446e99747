"""Compressed files read as a stream with two guarantees: a damaged archive (cut short by an
interrupted download, bytes after its end, a bad checksum) is one :class:`InputError` naming the
file and the file inside, never a library's exception; and what it expands to is bounded
(:data:`~borderrisk.data.bounds.UNPACKED_MAX_RATIO`), so a small "zip bomb" is refused in
bounded memory and time instead of filling them.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from typing import Any

from borderrisk.data.bounds import UNPACKED_FREE_BYTES, UNPACKED_MAX_RATIO, size_text
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
