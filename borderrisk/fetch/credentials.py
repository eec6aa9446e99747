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
    """A folder under the cache folder that only the user can open."""
    folder = cache_dir().joinpath(*parts)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    return folder


def write_private(path: Path, data: bytes) -> None:
    """Write ``path`` readable by the user only, whole or not at all."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


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
