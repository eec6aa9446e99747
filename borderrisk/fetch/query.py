"""What a fetch asks a source for, and what it brings back, shared by the three sources.

Pages are kept as the source sent them (JSON records, GDELT's zip files) and read by the same
drivers as downloaded exports (:func:`borderrisk.data.formats.read_export`), so a fetched event
equals the same event read from an export.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderrisk.data.formats import Skipped
from borderrisk.fetch.http import Client, FetchError

if TYPE_CHECKING:
    import geopandas as gpd

    from borderrisk.fetch.credentials import Ask


@dataclass(frozen=True)
class Query:
    """Countries (as the user names them) and the first day wanted."""

    countries: tuple[str, ...] = ()
    since: date | None = None

    def saved(self) -> dict[str, Any]:
        return {"countries": list(self.countries), "since": self.since.isoformat() if self.since else None}

    @classmethod
    def from_saved(cls, saved: dict[str, Any]) -> Query:
        since = saved.get("since")
        return cls(tuple(saved.get("countries") or ()), date.fromisoformat(since) if since else None)

    def codes(self) -> set[str]:
        """The countries as borderrisk codes (ISO alpha-3), to keep the rows of."""
        from borderrisk.geo.countries import resolve

        try:
            return {resolve(name).code for name in self.countries}
        except LookupError as error:
            raise FetchError(str(error)) from None


@dataclass
class Context:
    """How to reach a source: its client, base URL, where pages are staged, who to ask, the
    bearer token of this run (kept, not shown), and the rows the readers left out."""

    client: Client
    base_url: str
    staging: Path
    ask: Ask | None = None
    bearer: str = field(default="", repr=False)
    skipped: Skipped = field(default_factory=Skipped)


@dataclass
class Fetched:
    """Events new or changed since the last run, ids the source deleted, and the state to
    record for the next run."""

    events: gpd.GeoDataFrame
    state: dict[str, Any]
    deleted: list[str] = field(default_factory=list)


def read_records(records: list[dict[str, Any]], fmt: str, context: Context, name: str) -> gpd.GeoDataFrame:
    """Records as an API answers them, read by the export driver ``fmt`` (from a file in the
    staging folder, as a user's saved answer would be)."""
    from borderrisk.data.errors import InputError

    path = context.staging / f"{name}.json"
    path.write_text(json.dumps({"data": records}), encoding="utf-8")
    try:
        return read_file(path, fmt, context)
    except InputError as error:  # named as the source's answer: the staging file is gone when read
        named = [replace(problem, file=f"{context.client.source}'s answer") for problem in error.problems]
        raise FetchError(str(InputError(named, hint="check --base-url: is it the source's API?"))) from None


def read_file(path: Path, fmt: str, context: Context) -> gpd.GeoDataFrame:
    """A fetched file read by the export driver ``fmt``; rows it cannot use are left out and
    counted (a source's one bad row does not stop a refresh; the run says how many)."""
    from borderrisk.data.formats import read_export

    frame, skipped = read_export(path, fmt, skip_bad_rows=True)
    context.skipped.add(skipped)
    return frame


def combine(frames: list[gpd.GeoDataFrame], codes: set[str]) -> gpd.GeoDataFrame:
    """Pages as one frame, only the rows in ``codes`` countries when any are named."""
    import geopandas as gpd
    import pandas as pd

    frames = [f for f in frames if len(f)]
    if not frames:
        return gpd.GeoDataFrame({"event_id": pd.Series([], dtype=object)}, geometry=[], crs="EPSG:4326")
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if codes:
        frame = frame[frame["country"].isin(codes)]
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry="geometry", crs="EPSG:4326")
