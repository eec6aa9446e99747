"""A workbook's table, as every reader of ``.xlsx`` sees it (exports and files in borderrisk's
own columns alike): the first sheet whose first row names columns, so a sheet of terms of use
before the data (as ACLED's workbooks can have) is passed by; read whole by calamine whatever
its dimension tag says (Excel may write ``A1`` for a sheet of 18,000 rows, and a reader that
trusts it sees one cell), once per version of the file."""

from __future__ import annotations

import datetime
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from borderrisk.data.errors import InputError, Problem

logger = logging.getLogger("borderrisk.data")
#: Named columns a sheet's first row needs to be taken for the table: an event needs a date,
#: what happened and where, while a sheet of notes or terms has one cell a row.
MIN_HEADER = 3


def workbook_table(path: Path, name: str) -> tuple[int, list[list[Any]]]:
    """The spreadsheet number of the table's first row, and its rows as values; ``name`` is
    the file as messages name it (a zip's member too)."""
    stat = path.stat()
    return _table(path, stat.st_mtime_ns, stat.st_size, name)


def cell_text(value: Any) -> str:
    """A cell as the text a CSV would hold: whole numbers without ``.0``, midnight dates as days."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


@lru_cache(maxsize=2)
def _table(path: Path, _mtime: int, _size: int, name: str) -> tuple[int, list[list[Any]]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with CalamineWorkbook.from_path(str(path)) as book:
            sheets = [book.get_sheet_by_index(i) for i in range(len(book.sheet_names))]
            sheet = next((s for s in sheets if _names_columns(s.to_python(nrows=1))), sheets[0])
            if sheet is not sheets[0]:
                logger.info("%s: reading sheet %r, the first whose first row names columns", name, sheet.name)
            start = sheet.start
            return (start[0] + 1 if start else 1), sheet.to_python()
    except (CalamineError, OSError, ValueError) as error:
        raise InputError([Problem(name, "", "", f"is not a readable .xlsx workbook: {error}")]) from None


def _names_columns(rows: list[list[Any]]) -> bool:
    return bool(rows) and sum(1 for c in rows[0] if str(c).strip()) >= MIN_HEADER
