"""Events at the source: ACLED, UCDP and GDELT fetched through their APIs into the GeoParquet
events dataset every command reads, incrementally (only what is new), idempotently (an event
once) and atomically (the dataset is the old one or the new one, never half).

One module per source (:mod:`~borderrisk.fetch.acled`, :mod:`~borderrisk.fetch.ucdp`,
:mod:`~borderrisk.fetch.gdelt`) over one polite HTTP client (:mod:`~borderrisk.fetch.http`),
one credentials and token cache (:mod:`~borderrisk.fetch.credentials`) and one dataset writer
(:mod:`~borderrisk.fetch.dataset`). Above the readers (fetched pages are read by the export
drivers of :mod:`borderrisk.data.formats`), below the CLI.
"""

from borderrisk.fetch.http import FetchError
from borderrisk.fetch.run import SOURCES, Outcome, fetch

__all__ = ["SOURCES", "FetchError", "Outcome", "fetch"]
