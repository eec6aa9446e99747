"""Failures as the user should see them. A problem the user can fix (a bad file, an impossible
request) is one line and exit 1; anything else is a bug in borderrisk, said so in one line with
the way to see its traceback (``--verbose`` or ``BORDERRISK_DEBUG=1``), also exit 1.

Library code marks user-fixable problems by raising :class:`borderrisk.geo.errors.UserError`, the
one error root (every room's errors derive from it); a plain ``ValueError`` or ``KeyError``
from deep inside is a bug, not bad input.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

import click

logger = logging.getLogger("borderrisk")


@contextmanager
def failures_as_click_errors() -> Iterator[None]:
    """User-fixable failures end the command with exit code 1 and their message, escaped for
    the terminal (a message quotes the user's data)."""
    from borderrisk.cli.output import printable_lines
    from borderrisk.data.errors import RequestError, UserError

    try:
        yield
    except RequestError as error:
        raise click.UsageError(printable_lines(str(error))) from error
    except UserError as error:
        raise click.ClickException(printable_lines(str(error))) from error
    except BrokenPipeError:
        raise  # the reader of our output went away: not a failure (see reader_went_away)
    except OSError as error:
        name = error.filename or ""
        why = error.strerror or error
        raise click.ClickException(printable_lines(f"{name}: {why}" if name else str(why))) from error


def debugging(ctx: click.Context | None = None) -> bool:
    """Whether tracebacks are wanted: ``--verbose`` given, or ``BORDERRISK_DEBUG`` set."""
    verbose = (ctx.find_root().meta.get("borderrisk.verbosity", 0) if ctx else 0) > 0
    return verbose or os.environ.get("BORDERRISK_DEBUG", "") not in ("", "0")


def report_internal_error(error: BaseException, ctx: click.Context) -> None:
    """One line for an unexpected exception (the traceback too when debugging), exit 1."""
    if debugging(ctx):
        traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
    from borderrisk.cli.output import printable_lines

    click.echo(
        f"Error: internal error, a bug in borderrisk: {type(error).__name__}: {printable_lines(str(error))}. "
        "Run again with --verbose (or BORDERRISK_DEBUG=1) to see the traceback, and report it.",
        err=True,
    )
    ctx.exit(1)


def reader_went_away(ctx: click.Context) -> None:
    """The command piped into (``| head``) stopped reading: not an error. Exit 0 quietly, as
    ripgrep does, with stdout pointed at /dev/null so the interpreter's final flush is silent."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):  # stdout not a real file: nothing to flush
        os.dup2(devnull, sys.stdout.fileno())
    ctx.exit(0)


def configure_logging(verbosity: int) -> None:
    """``-v`` shows progress messages (INFO), ``-vv`` details (DEBUG), on stderr as ``rio``
    does; without it only warnings."""
    level = logging.WARNING - 10 * max(0, min(verbosity, 2))
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
