"""The stated bounds of every input, in one place: a file past one of them is refused with one
error naming the file and the bound, before it can take unbounded memory or time. The docs
(``docs/guarantees.md``) list these values; a test checks that they agree.

The bounds sit far above any real file (an ACLED export of every event since 1997 holds about
2.5 million rows of 30 fields; GDELT's largest day file expands 8 times) and far below what
would exhaust a laptop.
"""

from __future__ import annotations

#: A compressed file (``.gz``, ``.zip``) may expand to this many times its own size, beyond a
#: first :data:`UNPACKED_FREE_BYTES` that any file may expand to (small files compress better).
UNPACKED_MAX_RATIO = 200
UNPACKED_FREE_BYTES = 256 * 2**20
#: JSON arrays and objects inside each other (a record list holds records: depth 2 or 3).
JSON_MAX_DEPTH = 64
#: Characters of one header cell (a column name), columns of one header, and characters of a
#: text file's first line (its header, or its first record when it has none).
HEADER_CELL_MAX_CHARS = 1_000
HEADER_MAX_COLUMNS = 2_000
FIRST_LINE_MAX_CHARS = 65_536
#: Characters of one line (one record) of a text file.
LINE_MAX_BYTES = 16 * 2**20
#: Lines, and lines times the header's columns (cells), in any 16 MiB of a text file (counted
#: from its start, 16 MiB at a time). pyarrow makes every line a record of every column while it
#: parses a block, blank lines too, at some 20 bytes a cell: a file of blank lines would take
#: hundreds of bytes a byte. Real lines hold a byte (a delimiter, a line break) per cell, at most
#: 16.8 million a block; an ACLED block holds some 40,000 lines.
BLOCK_MAX_LINES = 1_000_000
BLOCK_MAX_CELLS = 20_000_000
#: Alternatives a ``--where`` filter may list (``type=a|b|c``).
WHERE_MAX_ALTERNATIVES = 1_000
#: Decompressed XML of one workbook sheet (a full sheet, 1,048,576 ACLED rows, is ~1.5 GiB).
SHEET_MAX_BYTES = 2 * 2**30
#: The largest count (deaths, mentions) a row may give: more than any event ever had, small
#: enough that sums over billions of rows stay exact in 64 bits.
COUNT_MAX = 10**9


def size_text(count: int) -> str:
    """A byte count as people read it: "1.5 GiB", "300 bytes"."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= scale:
            return f"{count / scale:,.1f} {unit}"
    return f"{count} bytes"
