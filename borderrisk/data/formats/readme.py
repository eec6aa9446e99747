"""The mapping tables of ``docs/formats.md``, written from the tables themselves, so the two
never disagree (a test compares them). ``python -m borderrisk.data.formats.readme`` prints it."""

from __future__ import annotations

from borderrisk.data.formats.acled import old_types_markdown
from borderrisk.data.formats.mapped import mapping_markdown
from borderrisk.data.formats.reading import EXPORTS


def formats_section() -> str:
    """Every format's mapping table, ACLED's old event types and the ``--columns`` fields."""
    parts = []
    for spec in EXPORTS.values():
        parts += [f"#### {spec.title} (`--format {spec.name}`)", "", spec.markdown(), ""]
        parts += [*(f"{note}\n" for note in spec.notes)]
        if spec.name == "acled":
            parts += [old_types_markdown(), ""]
    parts += ["#### Any other table (`--columns FIELD=COLUMN,...`)", "", mapping_markdown(), ""]
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    print(formats_section(), end="")
