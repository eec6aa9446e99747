"""One fetch: read the dataset and what earlier runs recorded, ask the source for what is new,
merge, and put the new dataset in place in one step."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import borderrisk.fetch.acled as acled
import borderrisk.fetch.gdelt as gdelt
import borderrisk.fetch.ucdp as ucdp
from borderrisk.fetch.credentials import Ask
from borderrisk.fetch.dataset import fresh, merge, ours, read_events, read_state, write
from borderrisk.fetch.http import Budget, Client, Say, quiet
from borderrisk.fetch.query import Context, Query

#: Each source: its module (``fetch``, ``BASE_URL``) and its name in messages.
SOURCES: dict[str, tuple[Any, str]] = {"acled": (acled, "ACLED"), "ucdp": (ucdp, "UCDP"), "gdelt": (gdelt, "GDELT")}


@dataclass(frozen=True)
class Outcome:
    """What a fetch did: events new or changed, events deleted, events in the dataset after."""

    source: str
    folder: Path
    fetched: int
    deleted: int
    total: int
    written: bool

    def summary(self) -> str:
        if not self.written:
            return f"{self.source}: nothing new; {self.folder} unchanged ({self.total:,} events)"
        removed = f", {self.deleted:,} deleted" if self.deleted else ""
        return f"{self.source}: {self.fetched:,} new or changed events{removed}; {self.folder} holds {self.total:,}"


def fetch(
    source: str,
    output: str | Path,
    *,
    countries: Iterable[str] = (),
    since: date | None = None,
    base_url: str | None = None,
    release: str = ucdp.RELEASE,
    ask: Ask | None = None,
    say: Say = quiet,
    retries: int = 5,
    timeout: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Fetch ``source`` (acled, ucdp or gdelt) into the events dataset ``output``, creating
    it or adding what is new since the last fetch. With no ``countries`` and no ``since``, a
    refresh asks what the dataset's first fetch asked."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; known: {', '.join(SOURCES)}")
    from filelock import FileLock

    module, title = SOURCES[source]
    # a dataset named through a symlink is replaced where it lives, the link kept
    folder = Path(output).resolve() if Path(output).is_symlink() else Path(output)
    budget = ucdp.daily_budget() if source == "ucdp" else Budget()
    client = Client(title, say, retries=retries, timeout=timeout, budget=budget, sleep=sleep)
    extra = {"release": release} if source == "ucdp" else {}
    # two fetches into one dataset take turns: the second then starts from the first's result
    with FileLock(folder.parent / f".{folder.name}.lock"), tempfile.TemporaryDirectory(prefix="borderrisk-") as staging:
        context = Context(client, (base_url or module.BASE_URL).rstrip("/"), Path(staging), ask)
        outcome = _fetch(source, folder, Query(tuple(countries), since), context, extra)
    return replace(outcome, folder=Path(output))


def _fetch(source: str, folder: Path, query: Query, context: Context, extra: dict[str, Any]) -> Outcome:
    """Read the dataset and its state, fetch what is new, and write the merge if anything changed."""
    module, title = SOURCES[source]
    old = read_events(folder)
    state = read_state(folder) if old is not None else {}
    saved = state.get(source, {})
    if not query.countries and query.since is None and saved.get("query"):
        query = Query.from_saved(saved["query"])
    got = module.fetch(query, saved, context, **extra)
    if context.skipped:
        context.client.say(f"{title}: {context.skipped.summary()}")
    total = 0 if old is None else len(old)
    new = fresh(old, got.events, source)
    gone = set(got.deleted)
    deleted = 0 if old is None or not gone else int((ours(old, source) & old["event_id"].astype(str).isin(gone)).sum())
    if new.empty and (old is None or (not deleted and got.state == saved)):
        return Outcome(title, folder, 0, 0, total, written=False)
    state[source] = got.state
    merged = merge(old, new, source, got.deleted)
    return Outcome(title, folder, len(new), deleted, write(folder, merged, state), written=True)
