"""One polite HTTP client for every source: retries with back-off on 429 and 5xx (honouring
``Retry-After``), on answers cut short and on slow answers; a cap on requests for sources that
count them; and failures in words a user can act on. Standard library only (urllib), so
fetching adds no dependency.

Secrets (tokens, passwords) travel in headers and form bodies only, never in URLs; the
headers follow a redirect only to the same scheme, host and port (a server cannot send them
elsewhere), and every text of a server's that a message quotes has them blanked out (a server
may echo what it was sent). An answer is read up to :data:`MAX_BODY` bytes, no further, so a
broken or hostile server cannot fill the memory, and at a pace (:data:`MIN_PACE`), so a
server that trickles bytes cannot hold a run for ever.
"""

from __future__ import annotations

import http.client
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from borderrisk.data.errors import UserError

Say = Callable[[str], None]
#: Statuses worth asking again for: too many requests, and the server's own failures.
RETRY_STATUSES = {429, 500, 502, 503, 504}
USER_AGENT = "borderrisk-fetch (+https://github.com/borderrisk)"
#: The most bytes an answer may hold: a page of events is a few megabytes, GDELT's master list
#: a few hundred; more is a server gone wrong.
MAX_BODY = 1 << 30
#: Bytes a second an answer must keep up once its first ``timeout`` seconds are past.
MIN_PACE = 1000
#: Form fields that are secrets (blanked in messages like the headers sent).
SECRET_FIELDS = ("password", "refresh_token")
#: Environment variables that hold secrets, blanked in messages whether this run sent them or not.
SECRET_VARIABLES = ("ACLED_PASSWORD", "UCDP_ACCESS_TOKEN")
#: How much of a server's text a message quotes.
QUOTED = 200


class FetchError(UserError):
    """A source could not be fetched; the message says why and what to do."""


class StatusError(FetchError):
    """The server refused the request (a 4xx other than 429): each source explains its own
    401 and 403, so the status and the server's words are kept."""

    def __init__(self, source: str, status: int, said: str) -> None:
        self.status = status
        self.said = said
        super().__init__(f"{source} answered {status}: {said or 'no reason given'}")


class RequestsUsedUp(FetchError):
    """The cap on requests was reached before the work was done."""


def quiet(_message: str) -> None:
    """A ``say`` that says nothing (the Python API's default)."""


@dataclass
class Budget:
    """Requests a source allows (``cap``) and those used so far (``used``); ``spend`` is
    called before each request and may persist the count (UCDP counts per day)."""

    cap: int | None = None
    used: int = 0
    save: Callable[[int], None] = field(default=lambda used: None, repr=False)
    why: str = ""

    def spend(self, source: str) -> None:
        if self.cap is not None and self.used >= self.cap:
            raise RequestsUsedUp(f"{source}: the cap of {self.cap:,} requests is reached{self.why}")
        self.used += 1
        self.save(self.used)


@dataclass
class Client:
    """HTTP for one source (``source`` names it in messages). ``sleep`` and ``timeout`` are
    parameters so that tests can run retries fast."""

    source: str
    say: Say = quiet
    retries: int = 5
    backoff: float = 1.0
    max_wait: float = 120.0
    timeout: float = 60.0
    budget: Budget = field(default_factory=Budget)
    sleep: Callable[[float], None] = time.sleep
    #: Every secret this client has sent (or been given), blanked in the texts it quotes.
    secrets: set[str] = field(default_factory=set, repr=False)

    def get(
        self,
        url: str,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        *,
        limit: int | None = None,
    ) -> bytes:
        """The body of ``url`` (with ``params`` as its query), at most ``limit`` bytes and
        never more than :data:`MAX_BODY`. ``headers`` are credentials: kept secret, and sent on a
        redirect to the same origin only."""
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params, safe="|:<>=")
        request = urllib.request.Request(url)
        for key, value in (headers or {}).items():
            request.add_unredirected_header(key, value)
            self.secrets.add(value.rsplit(" ", 1)[-1])  # "Bearer TOKEN": the token
        return self._send(request, limit)

    def post_form(self, url: str, form: dict[str, str]) -> bytes:
        """The body of a form POST (the OAuth token endpoint)."""
        self.secrets.update(form[name] for name in SECRET_FIELDS if form.get(name))
        data = urllib.parse.urlencode(form).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self._send(urllib.request.Request(url, data=data, headers=headers, method="POST"))

    def quote(self, text: str | bytes) -> str:
        """The start of a server's text as a message may show it: on one line, secrets blanked."""
        if isinstance(text, bytes):
            text = text[: 1 << 16].decode("utf-8", "replace")
        given = {os.environ.get(name, "").strip() for name in SECRET_VARIABLES}
        for value in sorted(filter(None, self.secrets | given), key=len, reverse=True):
            text = text.replace(value, "***")
        return " ".join(text.split())[:QUOTED]

    def _send(self, request: urllib.request.Request, limit: int | None = None) -> bytes:
        request.add_header("User-Agent", USER_AGENT)
        shown = _shown(request.full_url)
        opener = urllib.request.build_opener(SameOriginRedirects)
        for attempt in range(self.retries + 1):
            self.budget.spend(self.source)
            try:
                with opener.open(request, timeout=self.timeout) as answer:
                    return self._read(answer, min(MAX_BODY, MAX_BODY if limit is None else limit), shown)
            except urllib.error.HTTPError as error:
                if error.code not in RETRY_STATUSES:
                    raise StatusError(self.source, error.code, self.quote(_said(error))) from None
                why, wait = f"answered {error.code}", _retry_after(error.headers.get("Retry-After"))
            except (http.client.IncompleteRead, ConnectionResetError, http.client.RemoteDisconnected):
                why, wait = "cut its answer short", None
            except TimeoutError:
                why, wait = f"did not answer within {self.timeout:g} s", None
            except urllib.error.URLError as error:
                if isinstance(error.reason, TimeoutError):
                    why, wait = f"did not answer within {self.timeout:g} s", None
                else:
                    raise FetchError(_unreachable(self.source, request.full_url, error.reason)) from None
            if attempt == self.retries:
                raise FetchError(f"{self.source} {why} {attempt + 1} times ({shown}); try again later")
            wait = min(self.max_wait, wait if wait is not None else self.backoff * 2**attempt)
            self.say(f"{self.source} {why}; asking again in {wait:g} s ({attempt + 1} of {self.retries})")
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, answer: http.client.HTTPResponse, limit: int, shown: str) -> bytes:
        """The body, refused unread when it says it is larger than ``limit`` and as soon as it
        grows past it otherwise (a body without a length, or one that never ends); one that
        trickles in slower than :data:`MIN_PACE` after the first ``timeout`` seconds is taken
        as no answer (each byte may come within the timeout, the whole never)."""
        declared = answer.headers.get("Content-Length", "")
        too_large = FetchError(
            f"{self.source} sent more than {limit:,} bytes ({shown}), more than any answer of its should be: "
            "not used; check --base-url"
        )
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        started, size, chunks = time.monotonic(), 0, []
        while chunk := answer.read1(1 << 16):
            size += len(chunk)
            if size > limit:
                raise too_large
            elapsed = time.monotonic() - started
            if elapsed > self.timeout and size < MIN_PACE * elapsed:
                raise TimeoutError
            chunks.append(chunk)
        if answer.length:  # the server closed before the length it declared: asked again
            raise http.client.IncompleteRead(b"".join(chunks), answer.length)
        return b"".join(chunks)


class SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects as urllib follows them, but a request's credentials (its unredirected
    headers, which urllib drops on every redirect) go along only to the same scheme, host and
    port: a server, or whoever answers in its name, cannot send the token to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and _origin(new.full_url) == _origin(req.full_url):
            for key, value in req.unredirected_hdrs.items():
                if key not in ("Host", "Content-length", "Content-type"):
                    new.add_unredirected_header(key, value)
        return new


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, parts.hostname, parts.port


def _shown(url: str) -> str:
    """A URL as messages show it: without its query (which may be long)."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{_host(url)}{parts.path}"


def _host(url: str) -> str:
    """The host and port of a URL, without the user and password it may carry."""
    return urllib.parse.urlsplit(url).netloc.rpartition("@")[2]


def _said(error: urllib.error.HTTPError) -> str:
    """The first words of an error answer (servers often explain themselves there)."""
    try:
        text = error.read(2000).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return error.reason or ""
    return text.strip() or (error.reason or "")


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _unreachable(source: str, url: str, reason: object) -> str:
    host = _host(url)
    if isinstance(reason, socket.gaierror):
        return f"cannot reach {source} at {host}: no network, or the name does not resolve (check --base-url)"
    return f"cannot reach {source} at {host}: {reason} (no network, or check --base-url)"
