"""ACLED through its API (OAuth since September 2025).

A password grant (``POST {base}/oauth/token``, ``client_id=acled``) gives a bearer token valid
24 hours and a refresh token; both are cached (:mod:`borderrisk.fetch.credentials`), the
bearer renewed from the refresh token when it expires, and the password asked again only when
that fails. Events come from ``{base}/api/acled/read`` (``_format=json``, paged with
``limit``/``page`` until a page comes back short); ``timestamp`` (when ACLED last changed an
event) makes a refresh ask only for what changed, and ``{base}/api/deleted/read`` lists the
events ACLED removed since (it is a living database).
"""

from __future__ import annotations

import json
import os
import time
from datetime import date
from typing import Any

from borderrisk.fetch.credentials import Token, forget_token, load_token, save_token, secret
from borderrisk.fetch.http import FetchError, StatusError
from borderrisk.fetch.query import Context, Fetched, Query, combine, read_records

NAME = "acled"
BASE_URL = "https://acleddata.com"
#: Rows a page holds (ACLED's largest page).
PAGE_ROWS = 5000
#: Pages a run reads at most: 10 million events, several times ACLED's whole database; a
#: server that never sends a short page (always new rows) is stopped there.
MAX_PAGES = 2000
WRONG_PASSWORD = (
    "ACLED did not accept the email and password (ACLED_EMAIL, ACLED_PASSWORD): "
    "check them by logging in at acleddata.com"
)
REFUSED_AGAIN = "ACLED refused a new token too (401): log in at acleddata.com to check the account"
NO_API_ACCESS = (
    "ACLED refused API access for this account (403: {said}): the account's access tier may not include "
    "the API; ask ACLED for API access, or download an export and read it with --events"
)


def decode(context: Context, body: bytes, what: str, *, quoted: bool = True) -> dict[str, Any]:
    """An ACLED answer as a dict; one that is not JSON, or says it failed, is an error. The
    server's words are quoted (secrets blanked) unless ``quoted`` is False: a token answer is
    never quoted, as the token it holds is not known yet to be blanked."""
    shown = context.client.quote if quoted else (lambda _text: "not shown: it may hold a token")
    try:
        answer = json.loads(body)
    except ValueError:
        raise FetchError(f"ACLED sent {what} that is not JSON (a proxy's page?): {shown(body)}") from None
    if not isinstance(answer, dict):
        raise FetchError(f"ACLED sent {what} that is not a JSON object")
    if answer.get("success") is False:
        said = answer.get("error") or answer.get("messages") or answer
        raise FetchError(f"ACLED refused {what}: {shown(json.dumps(said))}")
    return answer


def page_records(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """The records of a page: ``data``, a list of JSON objects (anything else is an error)."""
    data = answer.get("data") or []
    if not isinstance(data, list) or not all(isinstance(record, dict) for record in data):
        raise FetchError('ACLED sent a page that is not {"data": [records]}: check --base-url')
    return data


def grant(context: Context, form: dict[str, str], account: str) -> Token:
    """A new token for ``account`` from the token endpoint, cached."""
    body = context.client.post_form(f"{context.base_url}/oauth/token", {**form, "client_id": "acled"})
    answer = decode(context, body, "a token", quoted=False)
    if not answer.get("access_token") or not isinstance(answer["access_token"], str):
        raise FetchError("ACLED's token answer holds no access_token")
    lifetime = answer.get("expires_in")
    seconds = float(lifetime) if isinstance(lifetime, (int, float)) or str(lifetime).isdigit() else 86400.0
    token = Token(answer["access_token"], str(answer.get("refresh_token") or ""), time.time() + seconds, account)
    save_token(NAME, context.base_url, token)
    return token


def bearer(context: Context) -> str:
    """A valid bearer token: cached, else refreshed, else from the email and password."""
    cached = load_token(NAME, context.base_url)
    named = os.environ.get("ACLED_EMAIL", "").strip()
    if cached and named and cached.account != named:
        cached = None  # another account's: ACLED_EMAIL names this one
    if cached and not cached.expired():
        return cached.access
    if cached and cached.refresh:
        try:
            form = {"grant_type": "refresh_token", "refresh_token": cached.refresh}
            return grant(context, form, cached.account).access
        except StatusError:
            context.client.say("ACLED: the refresh token has expired; logging in again")
    forget_token(NAME, context.base_url)
    email = secret("ACLED_EMAIL", "ACLED account email", context.ask)
    password = secret("ACLED_PASSWORD", "ACLED password", context.ask, hide=True)
    try:
        form = {"grant_type": "password", "username": email, "password": password, "scope": "authenticated"}
        return grant(context, form, email).access
    except StatusError as error:
        if error.status in (400, 401, 403):
            raise FetchError(WRONG_PASSWORD) from None
        raise


def get(context: Context, path: str, params: dict[str, str]) -> dict[str, Any]:
    """An authorised GET; a token refused mid-run (expired early, revoked) is renewed once."""
    for attempt in (1, 2):
        context.bearer = context.bearer or bearer(context)
        headers = {"Authorization": f"Bearer {context.bearer}"}
        try:
            return decode(context, context.client.get(f"{context.base_url}{path}", params, headers), "the request")
        except StatusError as error:
            if error.status == 401 and attempt == 1:
                forget_token(NAME, context.base_url)
                context.bearer = ""
                continue
            if error.status == 403:
                raise FetchError(NO_API_ACCESS.format(said=error.said or "no reason given")) from None
            if error.status == 401:
                raise FetchError(REFUSED_AGAIN) from None
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def pages(context: Context, path: str, params: dict[str, str], what: str) -> list[dict[str, Any]]:
    """Every record of a paged endpoint, counting on stderr. A full page whose records were
    all on earlier pages means the server ignores ``page`` (a proxy, a changed API): paging
    would never end, so it stops there."""
    every: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    page = 1
    while True:
        answer = get(context, path, {**params, "_format": "json", "limit": str(PAGE_ROWS), "page": str(page)})
        data = page_records(answer)
        keys = {(r.get("event_id_cnty"), r.get("timestamp"), r.get("deleted_timestamp")) for r in data}
        if data and keys <= seen:
            raise FetchError(f"ACLED's page {page} repeats earlier pages ({path}): the server does not page; stopped")
        seen |= keys
        every += data
        context.client.say(f"ACLED: page {page}, {len(every):,} {what} so far")
        if len(data) < PAGE_ROWS:
            return every
        if page == MAX_PAGES:
            raise FetchError(f"ACLED sent more than {MAX_PAGES:,} pages ({path}): more than it holds; stopped")
        page += 1


def stamps_of(records: list[dict[str, Any]], key: str) -> list[int]:
    """The times (seconds since the epoch) in ``key`` of the records that hold one; a time
    after tomorrow is a wrong one, left out (as the newest change held, it would hide every
    later change from the refreshes to come)."""
    tomorrow = time.time() + 86400
    return [int(r[key]) for r in records if str(r.get(key) or "").isdigit() and int(r[key]) <= tomorrow]


def country_names(query: Query) -> list[str]:
    """Countries as ACLED names them: a name as typed (ACLED's spellings differ from ours),
    a code as its English name."""
    from borderrisk.geo.countries import resolve

    return [resolve(name).name if len(name) == 3 and name.isupper() else name for name in query.countries]


def fetch(query: Query, state: dict[str, Any], context: Context) -> Fetched:
    """Events since the last run (all of the query's on the first), and ACLED's deletions."""
    params: dict[str, str] = {}
    if query.countries:
        params["country"] = "|".join(country_names(query))
    if query.since:
        params.update(event_date=f"{query.since.isoformat()}|{date.today().isoformat()}", event_date_where="BETWEEN")
    same_query = state.get("query") == query.saved()
    changed_since = int(state.get("timestamp", 0)) if same_query else 0
    if changed_since:  # changed after the newest change already held
        params.update(timestamp=str(changed_since + 1), timestamp_where=">=")
    records = pages(context, "/api/acled/read", params, "events")
    deleted: list[str] = []
    deleted_since = int(state.get("deleted_since", 0))
    if changed_since:
        gone = pages(
            context,
            "/api/deleted/read",
            {"deleted_timestamp": str(deleted_since + 1), "deleted_timestamp_where": ">="},
            "deletions",
        )
        deleted = [str(r.get("event_id_cnty")) for r in gone]
        deleted_since = max([deleted_since, *stamps_of(gone, "deleted_timestamp")])
    newest = max([changed_since, *stamps_of(records, "timestamp")])
    events = read_records(records, NAME, context, "acled-events") if records else None
    return Fetched(
        events=combine([events] if events is not None else [], set()),
        state={"query": query.saved(), "timestamp": newest, "deleted_since": deleted_since or newest},
        deleted=deleted,
    )
