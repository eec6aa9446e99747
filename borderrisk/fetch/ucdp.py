"""UCDP's Georeferenced Event Dataset through its API: ``{base}/api/gedevents/{release}``
with the ``x-ucdp-access-token`` header (without it UCDP answers 401), paged with
``pagesize``/``page`` (answers carry ``TotalPages`` and ``NextPageUrl``), from ``StartDate``.

UCDP allows 5,000 requests a day, errors included: requests are counted per day (UTC) in the
cache folder, and a run stops before the cap rather than past it. UCDP's API filters countries
by Gleditsch-Ward numbers, not names, so countries are kept here, after reading.
"""

from __future__ import annotations

import json
import urllib.parse
from datetime import date, datetime, timezone
from typing import Any

from borderrisk.fetch.credentials import private_folder, secret, write_private
from borderrisk.fetch.http import Budget, FetchError, StatusError
from borderrisk.fetch.query import Context, Fetched, Query, combine, read_records

NAME = "ucdp"
BASE_URL = "https://ucdpapi.pcr.uu.se"
RELEASE = "25.1"
PAGE_SIZE = 1000
DAILY_REQUESTS = 5000
NO_TOKEN = (
    "UCDP refused the request ({status}: {said}): its API needs an access token; set UCDP_ACCESS_TOKEN "
    "(UCDP gives tokens on request: see ucdp.uu.se, API)"
)


def daily_budget() -> Budget:
    """Today's UCDP requests (UTC), counted in the cache folder across runs."""
    path = private_folder("requests") / "ucdp.json"
    today = datetime.now(timezone.utc).date().isoformat()
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        used = int(saved["used"]) if saved["day"] == today else 0
    except (OSError, ValueError, TypeError, KeyError):  # none yet, or damaged: counted anew
        used = 0

    def save(count: int) -> None:
        write_private(path, json.dumps({"day": today, "used": count}).encode())

    why = " for today (UCDP allows 5,000 a day); the next run after midnight UTC continues"
    return Budget(DAILY_REQUESTS, used, save, why)


def next_page(context: Context, answer: dict[str, Any]) -> str | None:
    """The next page's URL, on ``--base-url`` (UCDP writes its own host into ``NextPageUrl``,
    and the token goes nowhere else)."""
    link = answer.get("NextPageUrl")
    if not link:
        return None
    parts = urllib.parse.urlsplit(link)
    return f"{context.base_url}{parts.path}" + (f"?{parts.query}" if parts.query else "")


def decode(context: Context, body: bytes) -> dict[str, Any]:
    """A page as UCDP sends it: a JSON object with ``Result``, a list of records, and
    ``NextPageUrl``, a URL or nothing; anything else is an error, not a traceback."""
    try:
        answer = json.loads(body)
    except ValueError:
        raise FetchError(f"UCDP sent a page that is not JSON: {context.client.quote(body)}") from None
    shape = isinstance(answer, dict) and isinstance(answer.get("Result") or [], list)
    if not shape or not all(isinstance(r, dict) for r in answer.get("Result") or []):
        raise FetchError('UCDP sent a page that is not {"Result": [records], ...}: check --base-url')
    if not isinstance(answer.get("NextPageUrl") or "", str):
        raise FetchError("UCDP sent a page that is not one of a series: its NextPageUrl is not a URL")
    return answer


def fetch(query: Query, state: dict[str, Any], context: Context, release: str = RELEASE) -> Fetched:
    """Events from the day after those already fetched (the query's first day the first time)."""
    token = secret("UCDP_ACCESS_TOKEN", "UCDP access token", context.ask, hide=True)
    same = state.get("query") == query.saved() and state.get("release") == release
    start = date.fromisoformat(state["last_date"]) if same and state.get("last_date") else query.since
    params = {"pagesize": str(PAGE_SIZE), "page": "0"}
    if start:
        params["StartDate"] = start.isoformat()
    url: str | None = f"{context.base_url}/api/gedevents/{release}"
    frames, count, page = [], 0, 0
    visited: set[str] = set()
    while url:
        try:
            body = context.client.get(url, params, {"x-ucdp-access-token": token})
        except StatusError as error:
            if error.status in (401, 403):
                raise FetchError(NO_TOKEN.format(status=error.status, said=error.said or "no reason given")) from None
            raise
        answer = decode(context, body)
        records = answer.get("Result") or []
        count += len(records)
        if records:
            frames.append(read_records(records, NAME, context, f"ucdp-{page:05d}"))
        total, pages = answer.get("TotalCount", "?"), answer.get("TotalPages", "?")
        context.client.say(f"UCDP: {count:,} of {total} events (page {page + 1} of {pages})")
        visited.add(url + "?" + urllib.parse.urlencode(params) if params else url)
        url, params, page = next_page(context, answer), {}, page + 1
        if url in visited or (url and isinstance(pages, int) and page >= pages):
            raise FetchError(f"UCDP pages in a loop: page {page}'s NextPageUrl points back, or past its TotalPages")
    every = combine(frames, set())
    # the newest day held, but never after today: a date years ahead (a typo at the source)
    # would otherwise make every later refresh ask only for what comes after it
    newest = min(every["date"].max().date(), date.today()) if len(every) else None
    last = newest.isoformat() if newest else state.get("last_date") if same else None
    events = combine([every], query.codes())
    return Fetched(events=events, state={"query": query.saved(), "release": release, "last_date": last})
