"""Real event exports read as they are downloaded: ACLED (every vintage, CSV and API JSON),
GDELT (2.0, 1.0, zipped, BigQuery), the Global Terrorism Database, UCDP GED, and any other table
by a column mapping. One module per format, each with its mapping table
(:class:`layers.data.formats.table.Format`), which the README shows.

:func:`read_events` reads a file, a folder of files or a glob; :func:`read_export` one export.
"""

from layers.data.formats.events import expand, is_dataset, read_events, total_bytes
from layers.data.formats.mapped import parse_columns
from layers.data.formats.reading import EXPORTS, FORMATS, Skipped, detect_format, read_export
from layers.data.formats.source import Progress
from layers.data.formats.stream import EventsInput, EventStream

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
