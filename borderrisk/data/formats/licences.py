"""Which sources' terms apply to some events, read from their ``origin`` column (written by
every export reader, kept by datasets and fetches): the attributions every output carries, and
whether raw rows may be passed on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from borderrisk.data.formats.reading import EXPORTS
from borderrisk.data.formats.table import ORIGIN, Licence

#: Each source's licence, by origin.
LICENCES: dict[str, Licence] = {name: spec.licence for name, spec in EXPORTS.items() if spec.licence is not None}


def licences_for(origins: Iterable[Any]) -> list[Licence]:
    """The licences of these origins, once each, in a stable order."""
    present = {str(o) for o in origins if isinstance(o, str)}
    return [licence for name, licence in LICENCES.items() if name in present]


def licences_of(frames: Sequence[Any]) -> list[Licence]:
    """The licences of the rows of some frames (those without an ``origin`` column have none).
    The frames come as a list, not a generator, so that reading never runs the drawing code
    that would make them (``tests/test_recipe_path.py``)."""
    origins: set[Any] = set()
    for frame in frames:
        if ORIGIN in getattr(frame, "columns", ()):
            origins |= set(frame[ORIGIN].dropna().unique())
    return licences_for(origins)


def licences_of_inputs(paths: Iterable[Any], fmt: str = "auto") -> list[Licence]:
    """The licences of events files and datasets as named (for outputs made without holding
    the rows, such as a streamed score): a file's format by its content (or ``fmt``), a
    dataset's ``origin`` column, read alone."""
    from borderrisk.data.formats.events import expand, is_dataset
    from borderrisk.data.formats.reading import detect_format

    origins: set[Any] = set()
    for path in paths:
        if is_dataset(path):
            origins |= _dataset_origins(path)
        elif fmt in LICENCES:
            origins.add(fmt)
        elif fmt == "auto":
            origins |= {detect_format(file) for file in expand(path)}
    return licences_for(origins)


def _dataset_origins(path: Any) -> set[Any]:
    import pyarrow.dataset as ds

    dataset = ds.dataset(str(path), format="parquet", exclude_invalid_files=True)
    if ORIGIN not in dataset.schema.names:
        return set()
    return set(dataset.to_table(columns=[ORIGIN]).column(ORIGIN).unique().to_pylist())


def restricted(licences: Iterable[Licence]) -> list[Licence]:
    """The licences that forbid passing raw rows on."""
    return [licence for licence in licences if not licence.raw_rows]
