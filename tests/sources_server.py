"""A local server on 127.0.0.1 that speaks ACLED's, UCDP's and GDELT's APIs as documented
(real paths, field names and paging), with failures on request: ``fail(path, ...)`` queues
answers (a status with headers, a body cut short or sent a byte at a time, a slow answer) for
the next requests to a path, and ``hold(path)`` keeps a request waiting until the test
releases it."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.parse
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Failure:
    status: int = 500
    headers: dict = field(default_factory=dict)
    body: bytes = b'{"error": "failure on request"}'
    cut_short: bool = False
    slow: float = 0.0
    drip: float = 0.0  # seconds between the body's bytes


@dataclass
class Sources:
    """What the fake sources hold and how they behave."""

    acled_events: list = field(default_factory=list)
    acled_deleted: list = field(default_factory=list)
    acled_page_rows: int = 5000
    acled_password: str = "right password"
    acled_tier_ok: bool = True
    token_seconds: int = 86400
    ucdp_events: list = field(default_factory=list)
    ucdp_token: str = "ucdp-secret-token"
    gdelt_files: dict = field(default_factory=dict)  # name -> bytes
    gdelt_bad_md5: set = field(default_factory=set)
    requests: list = field(default_factory=list)
    failures: dict = field(default_factory=lambda: defaultdict(deque))
    holds: dict = field(default_factory=dict)
    arrived: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)  # access token -> expiry (epoch)
    refresh_tokens: set = field(default_factory=set)
    issued: int = 0

    def fail(self, path: str, *failures: Failure) -> None:
        self.failures[path].extend(failures)

    def hold(self, path: str) -> tuple[threading.Event, threading.Event]:
        """(arrived, release): set when a request to ``path`` arrives; set it to answer."""
        arrived, release = threading.Event(), threading.Event()
        self.arrived[path], self.holds[path] = arrived, release
        return arrived, release

    def expire_tokens(self) -> None:
        for token in self.tokens:
            self.tokens[token] = 0


class Handler(BaseHTTPRequestHandler):
    sources: Sources

    def log_message(self, *args):  # quiet
        pass

    def answer(
        self, status: int, body: bytes, headers: dict | None = None, cut_short: bool = False, drip: float = 0.0
    ) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, str(value))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if drip:
            for byte in body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(drip)
            return
        self.wfile.write(body[: len(body) // 2] if cut_short else body)
        if cut_short:
            self.wfile.flush()
            self.close_connection = True

    def json(self, status: int, document) -> None:
        self.answer(status, json.dumps(document).encode(), {"Content-Type": "application/json"})

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def route(self, method: str) -> None:
        s = self.sources
        url = urllib.parse.urlsplit(self.path)
        params = dict(urllib.parse.parse_qsl(url.query))
        if method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            params.update(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        s.requests.append((method, url.path, params, {k.lower(): v for k, v in self.headers.items()}))
        if url.path in s.holds:
            s.arrived[url.path].set()
            s.holds[url.path].wait(60)
        if s.failures[url.path]:
            failure = s.failures[url.path].popleft()
            if failure.slow:
                time.sleep(failure.slow)
            else:
                return self.answer(failure.status, failure.body, failure.headers, failure.cut_short, failure.drip)
        if url.path == "/oauth/token":
            return self.token(params)
        if url.path in ("/api/acled/read", "/api/deleted/read"):
            return self.acled(url.path, params)
        if url.path.startswith("/api/gedevents/"):
            return self.ucdp(url.path, params)
        if url.path.startswith("/gdeltv2/"):
            return self.gdelt(url.path.rsplit("/", 1)[-1])
        self.json(404, {"error": "not found"})

    def token(self, form: dict) -> None:
        s = self.sources
        if form.get("client_id") != "acled":
            return self.json(400, {"error": "invalid_client"})
        grant = form.get("grant_type")
        if grant == "password" and form.get("password") != s.acled_password:
            return self.json(400, {"error": "invalid_grant", "error_description": "Invalid username and password"})
        if grant == "refresh_token" and form.get("refresh_token") not in s.refresh_tokens:
            return self.json(400, {"error": "invalid_grant", "error_description": "Invalid refresh token"})
        if grant not in ("password", "refresh_token"):
            return self.json(400, {"error": "unsupported_grant_type"})
        s.issued += 1
        access, refresh = f"access-{s.issued}-secret", f"refresh-{s.issued}-secret"
        s.tokens[access] = time.time() + s.token_seconds
        s.refresh_tokens.add(refresh)
        answer = {"token_type": "Bearer", "expires_in": s.token_seconds, "access_token": access}
        self.json(200, {**answer, "refresh_token": refresh})

    def acled(self, path: str, params: dict) -> None:
        s = self.sources
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        if s.tokens.get(token, 0) <= time.time():
            return self.json(401, {"message": "Unauthenticated."})
        if not s.acled_tier_ok:
            return self.json(403, {"message": "Unauthorised access type"})
        limit, page = int(params.get("limit", 5000)), int(params.get("page", 1))
        if path == "/api/deleted/read":
            since = int(params.get("deleted_timestamp", 0))
            rows = [r for r in s.acled_deleted if int(r["deleted_timestamp"]) >= since]
        else:
            rows = list(s.acled_events)
            if "country" in params:
                rows = [r for r in rows if r["country"] in params["country"].split("|")]
            if params.get("event_date_where") == "BETWEEN":
                first, last = params["event_date"].split("|")
                rows = [r for r in rows if first <= r["event_date"] <= last]
            if params.get("timestamp_where") == ">=":
                rows = [r for r in rows if int(r["timestamp"]) >= int(params["timestamp"])]
        chunk = rows[(page - 1) * limit : page * limit]
        self.json(200, {"status": 200, "success": True, "count": len(chunk), "data": chunk})

    def ucdp(self, path: str, params: dict) -> None:
        s = self.sources
        if self.headers.get("x-ucdp-access-token") != s.ucdp_token:
            return self.json(401, {"message": "Access token required"})
        rows = [r for r in s.ucdp_events if r["date_start"][:10] >= params.get("StartDate", "0000")]
        size, page = int(params.get("pagesize", 1000)), int(params.get("page", 0))
        pages = max(1, -(-len(rows) // size))
        base = f"https://ucdpapi.pcr.uu.se{path}"
        before, after = {**params, "page": str(page - 1)}, {**params, "page": str(page + 1)}
        self.json(
            200,
            {
                "TotalCount": len(rows),
                "TotalPages": pages,
                "PreviousPageUrl": f"{base}?{urllib.parse.urlencode(before)}" if page else "",
                "NextPageUrl": f"{base}?{urllib.parse.urlencode(after)}" if page + 1 < pages else "",
                "Result": rows[page * size : (page + 1) * size],
            },
        )

    def gdelt(self, name: str) -> None:
        s = self.sources
        exports = sorted(s.gdelt_files)

        def line(file: str) -> str:
            data = s.gdelt_files[file]
            md5 = "0" * 32 if file in s.gdelt_bad_md5 else hashlib.md5(data).hexdigest()
            return f"{len(data)} {md5} http://data.gdeltproject.org/gdeltv2/{file}"

        if name == "lastupdate.txt":
            newest = exports[-1]
            mentions = newest.replace("export", "mentions")
            text = f"{line(newest)}\n5000 {'1' * 32} http://data.gdeltproject.org/gdeltv2/{mentions}\n"
            return self.answer(200, text.encode())
        if name == "masterfilelist.txt":
            return self.answer(200, "".join(f"{line(f)}\n" for f in exports).encode())
        if name in s.gdelt_files:
            return self.answer(200, s.gdelt_files[name], {"Content-Type": "application/zip"})
        self.answer(404, b"not found")


class Server:
    """The fake sources served on 127.0.0.1 in a thread; ``url`` is the base address."""

    def __init__(self, sources: Sources) -> None:
        handler = type("BoundHandler", (Handler,), {"sources": sources})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.sources = sources
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        for release in self.sources.holds.values():
            release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def gdelt_file(real_zip: Path, stamp: str) -> tuple[str, bytes]:
    """The real GDELT export (open data) published under another 15-minute stamp."""
    return f"{stamp}.export.CSV.zip", real_zip.read_bytes()
