"""GDELT 2.0 events: a zipped export every 15 minutes, listed with its size and MD5 in
``{base}/lastupdate.txt`` (the newest files) and ``{base}/masterfilelist.txt`` (all of them),
one ``SIZE MD5 URL`` a line.

The first run takes the newest file, or every file from ``--since``; later runs the files
after the last one taken. Each file is downloaded to the cache folder and used only when its
size and MD5 match the list (a file already there and matching is not downloaded again, so a
killed run resumes where it stopped). GDELT needs no account.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from borderrisk.fetch.credentials import private_folder, write_private
from borderrisk.fetch.http import FetchError
from borderrisk.fetch.query import Context, Fetched, Query, combine, read_file

NAME = "gdelt"
BASE_URL = "http://data.gdeltproject.org/gdeltv2"
#: An events export's name: its 15-minute stamp, YYYYMMDDHHMMSS.
EXPORT = re.compile(r"(\d{14})\.export\.CSV\.zip$")
STAMP = "%Y%m%d%H%M%S"
#: The most bytes an export may unpack to: GDELT's are tens of megabytes; more is a zip bomb.
MAX_EXPORT_BYTES = 1 << 30


@dataclass(frozen=True)
class Listed:
    """One file of a GDELT list."""

    size: int
    md5: str
    url: str

    @property
    def name(self) -> str:
        return self.url.rsplit("/", 1)[-1]

    @property
    def stamp(self) -> str:
        return EXPORT.search(self.name).group(1)  # type: ignore[union-attr]


def listing(context: Context, name: str) -> list[Listed]:
    """The events exports a list names, oldest first."""
    text = context.client.get(f"{context.base_url}/{name}").decode("utf-8", "replace")
    files = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if len(parts) != 3 or not EXPORT.search(parts[2]):
            continue
        listed = Listed(int(parts[0]) if parts[0].isdigit() else -1, parts[1], parts[2])
        if listed.size < 0 or not re.fullmatch(r"[0-9a-f]{32}", listed.md5) or not _is_stamp(listed.stamp):
            raise FetchError(f"GDELT's {name}, line {number}, is not SIZE MD5 URL: {context.client.quote(line)}")
        files.append(listed)
    if not files:
        raise FetchError(f"GDELT's {name} names no events export (a proxy's page?): check --base-url")
    return sorted(files, key=lambda f: f.stamp)


def _is_stamp(stamp: str) -> bool:
    """Whether a stamp is a time, and not after tomorrow (taken as the last file, a stamp years
    ahead would hide every export published before it from the refreshes to come)."""
    try:
        when = datetime.strptime(stamp, STAMP)
    except ValueError:
        return False
    return when <= datetime.now() + timedelta(days=1)


def wanted(context: Context, query: Query, last: str | None) -> list[Listed]:
    """Files after ``last`` (a stamp), else from ``since``, else the newest alone. The master
    list (large) is read only when ``lastupdate.txt`` does not reach back far enough."""
    newest = listing(context, "lastupdate.txt")
    if last is not None:
        fresh = [f for f in newest if f.stamp > last]
        if not fresh or fresh[0].stamp == _next_stamp(last):
            return fresh
        return [f for f in listing(context, "masterfilelist.txt") if f.stamp > last]
    if query.since is None:
        return newest[-1:]
    first = query.since.strftime("%Y%m%d000000")
    return [f for f in listing(context, "masterfilelist.txt") if f.stamp >= first]


def _next_stamp(stamp: str) -> str:
    return (datetime.strptime(stamp, STAMP) + timedelta(minutes=15)).strftime(STAMP)


def matches(path: Path, listed: Listed) -> bool:
    """Whether a file has the size and MD5 the list gives."""
    if not path.is_file() or path.stat().st_size != listed.size:
        return False
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest() == listed.md5


def download(context: Context, listed: Listed) -> Path:
    """A listed file in the cache folder, checked; downloaded again once if it does not match."""
    path = private_folder("gdelt") / listed.name
    for _ in range(2):
        if matches(path, listed):
            return path
        write_private(path, context.client.get(f"{context.base_url}/{listed.name}", limit=listed.size))
    path.unlink(missing_ok=True)
    raise FetchError(
        f"GDELT's {listed.name} does not match masterfilelist.txt (size {listed.size:,}, MD5 {listed.md5}) "
        "twice: not used; try again later"
    )


def unpacked(path: Path) -> Path:
    """A downloaded export, checked to hold one file of at most :data:`MAX_EXPORT_BYTES` (its
    zip directory says how much it unpacks to, and reading stops there) before it is read."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise FetchError(f"GDELT's {path.name} is not a zip archive: not used; check --base-url") from None
    if len(members) != 1 or members[0].file_size > MAX_EXPORT_BYTES:
        raise FetchError(
            f"GDELT's {path.name} holds {len(members)} file(s) or unpacks to more than {MAX_EXPORT_BYTES:,} bytes, "
            "unlike any export: not used; check --base-url"
        )
    return path


def fetch(query: Query, state: dict[str, Any], context: Context) -> Fetched:
    """The exports published since the last run, checked and read."""
    same = state.get("query") == query.saved()
    last = state.get("last_file") if same else None
    if last:
        forget_cached(last)
    files = wanted(context, query, last)
    frames, codes = [], query.codes()
    for number, listed in enumerate(files, start=1):
        # the query's countries kept file by file: a year of world exports is not held at once
        frames.append(combine([read_file(unpacked(download(context, listed)), NAME, context)], codes))
        context.client.say(f"GDELT: {number:,} of {len(files):,} files ({sum(len(f) for f in frames):,} events)")
    newest = files[-1].stamp if files else last
    return Fetched(events=combine(frames, set()), state={"query": query.saved(), "last_file": newest})


def forget_cached(last: str) -> None:
    """Remove the cached exports up to ``last``, the last file a finished run merged into the
    dataset: they were kept so that a killed run resumes, and are not needed again."""
    for path in private_folder("gdelt").iterdir():
        found = EXPORT.search(path.name)
        if found and found.group(1) <= last:
            path.unlink(missing_ok=True)
