"""``borderrisk layers``: the layer types available, built-in and from plugins."""

from __future__ import annotations

import click

from borderrisk.cli.output import echo_json, echo_table


@click.command("layers", short_help="List layer types, built-in and from plugins.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def layers_command(as_json):
    """List the layer types: the built-in ones and those that installed packages register in the
    entry-point group "borderrisk.layers". A plugin that fails to load is listed as broken,
    with the reason; everything else keeps working.

    Use a readable type from the CLI with `borderrisk map --layer NAME=PATH`.
    """
    from borderrisk.layers.registry import layer_types

    rows = [
        {
            "name": t.name,
            "package": t.package,
            "status": "broken" if t.error else "ok",
            "from file": "yes" if t.readable else "no",
            "description": t.error or t.description,
        }
        for t in layer_types().values()
    ]
    if as_json:
        echo_json(rows)
    else:
        echo_table(rows, ["name", "package", "status", "from file", "description"])
