"""Bad input, reported so a user can fix it: every problem, with file, line, field and what."""

from __future__ import annotations

from dataclasses import dataclass

from borderrisk.geo.errors import UserError

__all__ = ["InputError", "Problem", "RequestError", "UserError", "first_line"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: ``where`` is "line 12" or "feature 3" (1-based)."""

    file: str
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        location = f"{self.file}, {self.where}" if self.where else self.file
        field = f", field {self.field!r}" if self.field else ""
        return f"{location}{field}: {self.message}"


#: Problems an error lists (a file of a million bad rows is counted, not listed whole).
SHOWN_PROBLEMS = 50


class InputError(UserError):
    """An input file has problems; all of them are listed, not only the first."""

    def __init__(self, problems: list[Problem], total: int | None = None, hint: str = "") -> None:
        self.problems = problems
        #: How many problems the input has: more than those listed where it has many.
        self.total = total = total or len(problems)
        advice = f"\n{hint}" if hint else ""
        if total == 1 and len(problems) == 1:
            super().__init__(f"{problems[0]}{advice}")
            return
        shown = f" (the first {len(problems)})" if total > len(problems) else ""
        super().__init__(f"{total:,} problems in input{shown}:\n" + "\n".join(f"  {p}" for p in problems) + advice)


class RequestError(UserError):
    """The request itself is wrong (an output that names an input, an unknown extension,
    options that contradict each other), found before any work: a usage error, exit code 2.
    Each line of the message names the user's path or option."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class MissingExtra(RequestError, ImportError):
    """An option needs an optional part of borderrisk that is not installed (``--engine dask``
    needs ``borderrisk[scale]``): a usage error, exit code 2, that names what to install."""

    def __init__(self, what: str, extra: str) -> None:
        super().__init__([f'{what} needs the optional extra borderrisk[{extra}]: pip install "borderrisk[{extra}]"'])


def first_line(error: BaseException) -> str:
    """The first line of a library's error message (GDAL and pyarrow add pages of detail)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
