"""Bad input, reported so a user can fix it: every problem, with file, line, field and what."""

from __future__ import annotations

from dataclasses import dataclass


class UserError(ValueError):
    """Something the user can fix (a file, an option, a request the data cannot meet). The CLI
    shows its message as one line and exits 1; any other exception is a bug in borderrisk."""


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


class InputError(UserError):
    """An input file has problems; all of them are listed, not only the first."""

    def __init__(self, problems: list[Problem], total: int | None = None, hint: str = "") -> None:
        self.problems = problems
        total = total or len(problems)
        count = f"{total:,} problems" if total > 1 else "1 problem"
        shown = f" (the first {len(problems)})" if total > len(problems) else ""
        advice = f"\n{hint}" if hint else ""
        super().__init__(f"{count} in input{shown}:\n" + "\n".join(f"  {p}" for p in problems) + advice)
