"""Library failures as clean CLI errors: a message and exit code 1, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click


@contextmanager
def failures_as_click_errors() -> Iterator[None]:
    """Bad input files and impossible requests end the command with exit code 1 and a
    message, never a traceback."""
    from geo.errors import GeoLookupError
    from layers.data.errors import InputError
    from layers.render.export import ExportError
    from layers.render.offline import OfflineError

    try:
        yield
    except (InputError, GeoLookupError, OfflineError, ExportError, ValueError, KeyError) as error:
        raise click.ClickException(error.args[0] if isinstance(error, KeyError) else str(error)) from error
    except OSError as error:
        raise click.ClickException(f"{error.filename or ''}: {error.strerror or error}") from error
