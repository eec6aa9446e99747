"""Events from what a user names: a file, a folder of files or a glob (``'exports/*.csv'``),
each file read in its own format; GDELT's repeats optionally counted once."""

from __future__ import annotations

import glob
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from borderrisk.data.errors import InputError, Problem
from borderrisk.data.formats.reading import SKIP_HINT, Skipped, detect_format, read_export
from borderrisk.data.formats.source import Progress
from borderrisk.data.paths import input_path

if TYPE_CHECKING:
    import geopandas as gpd

#: Characters that make a name a glob rather than a file.
GLOB_CHARS = set("*?[")


def is_dataset(path: str | Path) -> bool:
    """A folder of GeoParquet partitions, as ``borderrisk convert`` writes: read as one dataset."""
    path = Path(path)
    if not path.is_dir():
        return False
    files = [f for f in path.iterdir() if f.is_file() and not f.name.startswith(".")]
    return bool(files) and all(f.suffix.lower() in (".parquet", ".geoparquet") for f in files)


def expand(path: str | Path) -> list[Path]:
    """The files a name stands for: itself, the files in a folder, or those matching a glob."""
    path = Path(path)
    if path.exists() or not GLOB_CHARS & set(str(path)):
        input_path(path, folder=True)  # the one input rule: no FIFO, device or missing path
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(f for f in path.iterdir() if f.is_file() and not f.name.startswith("."))
    else:  # a glob
        files = sorted(Path(f) for f in glob.glob(str(path)) if Path(f).is_file())
    if not files:
        raise InputError([Problem(str(path), "", "", "holds no files" if path.is_dir() else "matches no file")])
    return files


def total_bytes(path: str | Path) -> int:
    """Bytes to read for a name (for progress bars)."""
    return sum(f.stat().st_size for f in expand(path)) if not is_dataset(path) else 0


def read_events(
    path: str | Path,
    fmt: str = "auto",
    *,
    columns: dict[str, str] | None = None,
    encoding: str | None = None,
    skip_bad_rows: bool = False,
    root_events_only: bool = False,
    once_per_source: bool = False,
    progress: Progress | None = None,
    date_format: str | None = None,
) -> tuple[gpd.GeoDataFrame, Skipped]:
    """Every events file a name stands for, read and validated, as one frame; and the rows
    left out. ``root_events_only`` keeps GDELT's root events; ``once_per_source`` counts each
    source (URL) once a day, in its row with the most mentions; ``date_format`` says how dates
    are written when their column alone cannot (see :mod:`borderrisk.data.formats.dates`)."""
    frames, skipped = [], Skipped()
    for file in expand(path):
        chosen = "columns" if columns else (detect_format(file) if fmt == "auto" else fmt)
        if chosen == "borderrisk":
            frame = read_own(file, skip_bad_rows, skipped)
            if progress:
                progress(file.stat().st_size)
        else:
            frame, left_out = read_export(
                file,
                fmt,
                columns=columns,
                encoding=encoding,
                skip_bad_rows=skip_bad_rows,
                progress=progress,
                date_format=date_format,
            )
            skipped.add(left_out)
        frames.append(frame)
    frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    if root_events_only:
        frame = root_events(frame, path, skipped)
    if once_per_source:
        frame = once_per_source_rows(frame, path, skipped)
    return frame.reset_index(drop=True), skipped


def read_own(file: Path, skip_bad_rows: bool, skipped: Skipped) -> gpd.GeoDataFrame:
    """A file in borderrisk's own events columns; bad rows skipped as in exports."""
    from borderrisk.data.readers import read_records
    from borderrisk.data.schema import EVENTS

    if not skip_bad_rows:
        try:
            return read_records(file, EVENTS)
        except InputError as error:
            raise InputError(error.problems, total=error.total, hint=SKIP_HINT) from None
    problems: list[Problem] = []
    frame = read_records(file, EVENTS, skipped=problems)
    if problems and frame.empty:
        raise InputError([Problem(str(file), "", "", f"no usable row: all {len(problems):,} rows are bad"), *problems])
    skipped.problems += problems
    for problem in problems:
        skipped.reasons[f"with a bad {problem.field}"] += 1
    return frame


def root_events(frame: gpd.GeoDataFrame, path: str | Path, skipped: Skipped) -> gpd.GeoDataFrame:
    if "is_root_event" not in frame:
        raise InputError([Problem(str(path), "", "IsRootEvent", "root events only: only GDELT files have this column")])
    keep = frame["is_root_event"].fillna(False).astype(bool)
    skipped.chosen["events that are not root events (--root-events-only)"] += int((~keep).sum())
    return frame[keep]


def once_per_source_rows(frame: gpd.GeoDataFrame, path: str | Path, skipped: Skipped) -> gpd.GeoDataFrame:
    if "source" not in frame:
        raise InputError([Problem(str(path), "", "source", "once per source: the events have no source column")])
    source = frame["source"].fillna("").astype(str)
    mentions = frame["num_mentions"].astype("Float64").fillna(0) if "num_mentions" in frame else 0
    ranked = pd.DataFrame({"day": frame["date"].dt.normalize(), "source": source, "mentions": mentions})
    ranked = ranked.sort_values("mentions", ascending=False, kind="stable")
    repeat = ranked.duplicated(["day", "source"]) & (ranked["source"] != "")
    drop = repeat[repeat].index
    skipped.chosen["repeats of a source on the same day (--once-per-source)"] += len(drop)
    return frame.drop(index=drop)
