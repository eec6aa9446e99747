"""Real event exports read as they are downloaded: ACLED (every vintage, CSV and API JSON),
GDELT (2.0, 1.0, zipped, BigQuery), the Global Terrorism Database, UCDP GED, and any other table
by a column mapping. One module per format, each with its mapping table
(:class:`borderrisk.data.formats.table.Format`), which docs/formats.md shows.

:func:`read_events` reads a file, a folder of files or a glob; :func:`read_export` one export.
"""

from borderrisk.data.formats.events import expand, is_dataset, read_events, total_bytes
from borderrisk.data.formats.mapped import parse_columns
from borderrisk.data.formats.reading import EXPORTS, FORMATS, Skipped, detect_format, read_export
from borderrisk.data.formats.source import Progress
from borderrisk.data.formats.stream import EventsInput, EventStream

__all__ = [
    "EXPORTS",
    "FORMATS",
    "EventStream",
    "EventsInput",
    "Progress",
    "Skipped",
    "detect_format",
    "expand",
    "is_dataset",
    "parse_columns",
    "read_events",
    "read_export",
    "total_bytes",
]
