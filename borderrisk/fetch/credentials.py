"""Credentials and tokens. Secrets come from the environment (``ACLED_EMAIL``,
``ACLED_PASSWORD``, ``UCDP_ACCESS_TOKEN``) or from ``ask`` (the CLI prompts, the password
hidden). Tokens are cached under the user's cache folder (``BORDERRISK_CACHE_DIR`` moves it),
in files only the user can read (mode 0600, folder 0700), and are never printed or logged: the
:class:`Token` does not show them in its ``repr``.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from borderrisk.fetch.http import FetchError

#: ``ask(prompt, hide)`` -> the answer; None where no one can be asked.
Ask = Callable[[str, bool], str]
#: A token this close to its end is treated as expired (a long fetch outlives it otherwise).
MARGIN_SECONDS = 300


def cache_dir() -> Path:
    """The user's cache folder for borderrisk (``BORDERRISK_CACHE_DIR`` overrides it)."""
    configured = os.environ.get("BORDERRISK_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("borderrisk"))


def private_folder(*parts: str) -> Path:
    """A folder under the cache folder that only the user can open. Each folder from the cache
    folder down must be the user's own (in one another user owns, or that others may write
    to, a token file could be read or swapped): one left open to others, as a umask of 000
    makes it, is closed; one of another user's is refused."""
    folder = cache_dir()
    for part in ("", *parts):
        folder = folder / part
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        _make_own(folder)
    return folder


def _make_own(folder: Path) -> None:
    info = os.stat(folder)
    getuid = getattr(os, "getuid", None)  # None on Windows, where folders under the profile are private
    if getuid is not None and info.st_uid != getuid():
        raise FetchError(
            f"{folder} belongs to another user: borderrisk keeps tokens only in a folder of yours "
            "(set BORDERRISK_CACHE_DIR to one)"
        )
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(folder, 0o700)


def write_private(path: Path, data: bytes) -> None:
    """Write ``path`` readable by the user only, whole or not at all, through a temporary file
    of an unguessable name made anew (nothing planted under a known name is written through)."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def secret(name: str, prompt: str, ask: Ask | None, *, hide: bool = False) -> str:
    """The value of the environment variable ``name``, else the user's answer to ``prompt``."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if ask is not None:
        value = ask(prompt, hide).strip()
        if value:
            return value
    raise FetchError(f"{name} is not set: set it in the environment, or run in a terminal to be asked")


@dataclass
class Token:
    """A bearer token, the refresh token that renews it, and when it ends (seconds since the
    epoch). Neither token is shown in ``repr``."""

    access: str = field(repr=False)
    refresh: str = field(default="", repr=False)
    expires: float = 0.0
    #: The account it was given to (a token of another account is not used for this one).
    account: str = ""

    def expired(self, now: float | None = None) -> bool:
        return (now if now is not None else time.time()) >= self.expires - MARGIN_SECONDS


def _token_file(source: str, base_url: str) -> Path:
    digest = hashlib.sha256(base_url.rstrip("/").encode()).hexdigest()[:16]
    return private_folder("tokens") / f"{source}-{digest}.json"


def load_token(source: str, base_url: str) -> Token | None:
    """The cached token for a source at ``base_url``, if any (a damaged cache is no cache)."""
    path = _token_file(source, base_url)
    try:
        return Token(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def save_token(source: str, base_url: str, token: Token) -> None:
    write_private(_token_file(source, base_url), json.dumps(asdict(token)).encode())


def forget_token(source: str, base_url: str) -> None:
    _token_file(source, base_url).unlink(missing_ok=True)
