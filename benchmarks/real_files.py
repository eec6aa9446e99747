"""Real event files from public repositories, read as an analyst would: what each holds and
what borderrisk makes of it.

The files are listed in ``tests/real_files.toml`` (repository, path, commit, sha256, and for a
table of no known format the ``columns`` an analyst would name with ``--columns``) and never
committed; the script reads those present in a folder (``--folder``, default
``$BORDERRISK_REAL_DATA`` or ``/work/realdata``) with ``--skip-bad-rows`` and prints per file:
rows in the file, rows read (events), rows skipped by reason, rows merged into their event
(one event, one row), rows placed only to their country, and the share of events read.

    python benchmarks/real_files.py [--folder DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from pathlib import Path

import tomllib

from borderrisk.data.errors import UserError
from borderrisk.data.formats.reading import detect
from borderrisk.data.formats.source import open_file
from borderrisk.layers.events import EventsLayer

LIST = Path(__file__).parents[1] / "tests" / "real_files.toml"


def rows_in(path: Path) -> int:
    """Records in a file as delivered: GeoJSON features, a workbook's non-empty rows under its
    header (python-calamine, every sheet, the largest), or text records (not the header nor an
    HXL row) counted with Python's csv module, independently of the reader measured."""
    import csv
    import io

    if path.suffix.lower() == ".geojson":
        return len(json.loads(path.read_text(encoding="utf-8"))["features"])
    if path.suffix.lower() == ".xlsx":
        from python_calamine import CalamineWorkbook

        with CalamineWorkbook.from_path(str(path)) as book:
            sheets = [book.get_sheet_by_index(i).to_python() for i in range(len(book.sheet_names))]
        return max(sum(1 for row in rows if any(str(c).strip() for c in row)) - 1 for rows in sheets)
    opened = open_file(path)
    found = detect(opened)
    with opened.reopen(None) as handle:
        text = io.TextIOWrapper(handle, encoding=found.encoding, errors="replace", newline="")
        records = sum(1 for row in csv.reader(text, delimiter=found.layout.delimiter) if any(c.strip() for c in row))
    return records - (found.layout.first_line - 1)


def measure(path: Path, columns: dict[str, str] | None = None) -> dict:
    row = {"file": path.name, "rows in file": rows_in(path)}
    try:
        layer = EventsLayer.read(path, skip_bad_rows=True, columns=columns)
    except UserError as error:
        return {**row, "error": str(error).splitlines()[0][:160]}
    skipped = layer.skipped
    events = len(layer.frame)
    row.update(
        {
            "format": "--columns" if columns else detect(open_file(path)).format,
            "rows read": events + skipped.merged,
            "events": events,
            "skipped": dict(skipped.reasons),
            "merged": skipped.merged,
            "to country only": int((layer.frame["location_precision"] == "country").sum()),
            "place not found": sum(skipped.unfound.values()),
        }
    )
    row["events read"] = f"{(events + skipped.merged) / max(row['rows in file'], 1):.1%}"
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = os.environ.get("BORDERRISK_REAL_DATA", "/work/realdata")
    parser.add_argument("--folder", type=Path, default=Path(default))
    args = parser.parse_args()
    listed = tomllib.loads(LIST.read_text(encoding="utf-8"))["file"]
    for entry in listed:
        path = args.folder / entry["name"]
        if not path.exists():
            print(json.dumps({"file": entry["name"], "absent": f"{entry['repository']}:{entry['path']}"}))
            continue
        if hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            print(json.dumps({"file": entry["name"], "error": "sha256 differs from tests/real_files.toml"}))
            continue
        print(json.dumps(measure(path, entry.get("columns")), ensure_ascii=False))


if __name__ == "__main__":
    main()
