"""The one TOML loader: risk configs, recipes and scenarios are read the same way, and every
failure names the file (and, for bad syntax, the line TOML reports)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from borderrisk.data.errors import InputError, UserError
from borderrisk.data.paths import SETTINGS_MAX_BYTES, read_input_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


class TomlError(UserError):
    """A TOML file that cannot be read or parsed; the message starts with the file's name."""


def loads_toml(text: str, name: str) -> dict[str, Any]:
    """Parse TOML text; ``name`` is what errors call it."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TomlError(f"{name}: not valid TOML: {error}") from None
    except RecursionError:
        raise TomlError(f"{name}: not valid TOML: nested too deeply") from None


def load_toml(path: str | Path) -> dict[str, Any]:
    """Read and parse a TOML file (UTF-8, of settings size: see :mod:`borderrisk.data.paths`)."""
    try:
        text = read_input_text(path, max_bytes=SETTINGS_MAX_BYTES)
    except InputError as error:
        raise TomlError(str(error)) from None
    except OSError as error:
        raise TomlError(f"{path}: {error.strerror or error}") from None
    return loads_toml(text, str(path))
