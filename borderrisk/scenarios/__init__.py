"""Embedded scenarios: data files with a ``source`` on every row, and a scenario.toml that
names them, the title and the focus. ``seed`` is the founding case and the default map."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from borderrisk.data.errors import UserError
from borderrisk.data.toml import loads_toml

DEFAULT = "seed"


@dataclass
class Scenario:
    """A title, a focus pair and the layers of one embedded scenario."""

    name: str
    title: str
    focus: list[str]
    source: dict[str, Any]
    layers: list[Any] = field(default_factory=list)

    def map_options(self) -> dict[str, Any]:
        """What the scenario says about its map: focus, title and source line."""
        return {"focus": self.focus, "title": self.title, "source": self.source.get("name")}


def names() -> list[str]:
    """The embedded scenarios."""
    folder = resources.files(__name__)
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and (p / "scenario.toml").is_file())


def load(name: str = DEFAULT) -> Scenario:
    """Read an embedded scenario and build its layers."""
    from borderrisk.layers.agreements import AgreementsLayer
    from borderrisk.layers.alliances import AlliancesLayer
    from borderrisk.layers.events import EventsLayer

    if name not in names():
        raise UserError(f"no scenario {name!r}; embedded scenarios: {', '.join(names())}")
    folder = resources.files(__name__) / name
    config = loads_toml((folder / "scenario.toml").read_text(encoding="utf-8"), f"scenario {name}")
    scenario = Scenario(name, config["title"], list(config.get("focus", [])), config.get("source", {}))
    for key, layer_type in (("alliances", AlliancesLayer), ("agreements", AgreementsLayer), ("events", EventsLayer)):
        if key in config:
            with resources.as_file(folder / config[key]) as path:
                scenario.layers.append(layer_type.read(path))
    return scenario
