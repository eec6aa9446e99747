"""The risk model's settings: weights, distances, half-lives and the watchlist, from the
documented defaults in ``risk.toml`` with a user's TOML file laid over them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from borderrisk.data.errors import RequestError, UserError
from borderrisk.data.finite import is_finite_number
from borderrisk.data.toml import TomlError, load_toml, loads_toml
from borderrisk.risk import MODELS
from borderrisk.risk.classes import check_classes

FACTORS = ("events", "country_events", "agreements", "alliances", "annotations")
#: Sections whose keys are open (any event type, any status), not a fixed schema.
OPEN_TABLES = {("events", "type_weights"), ("agreements", "status_weights")}


class ConfigError(UserError):
    """A risk config file that cannot be used; the message names the file and the key."""


def default_config_text() -> str:
    """The documented default config, as shipped (``borderrisk score --default-config``)."""
    return (resources.files("borderrisk.risk") / "risk.toml").read_text(encoding="utf-8")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _kind_problem(value: Any, default: Any) -> str | None:
    """What ``value`` must be, when it is not of the kind of ``default``; None when it is."""
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else "a number"
    if isinstance(default, list) and default and all(_is_number(v) for v in default):
        return None if isinstance(value, list) and all(_is_number(v) for v in value) else "a list of numbers"
    if isinstance(default, list):
        return None if isinstance(value, list) and all(isinstance(v, str) for v in value) else "a list of text"
    return None if type(value) is type(default) else type(default).__name__


def _merge(defaults: dict, overrides: dict, file: str, path: tuple[str, ...] = ()) -> dict:
    merged = dict(defaults)
    for key, value in overrides.items():
        where = ".".join((*path, key))
        if key not in defaults and path not in OPEN_TABLES:
            raise ConfigError(f"{file}: unknown key {where!r}; known here: {', '.join(sorted(defaults))}")
        if isinstance(defaults.get(key), dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{file}: {where!r} must be a table")
            merged[key] = _merge(defaults[key], value, file, (*path, key))
            continue
        # In an open table every value is of the kind its listed values are (a weight).
        default = defaults[key] if key in defaults else next(iter(defaults.values()), 0.0)
        expected = _kind_problem(value, default)
        if expected:
            raise ConfigError(f"{file}: {where!r} must be {expected}, got {value!r}")
        merged[key] = value
    return merged


#: The range of each number in a config, by its dotted key; any other number (a weight, a
#: break, a multiplier) lies within ±:data:`NUMBER_MAX`, so no sum of weighted events can
#: overflow to an infinite score.
NUMBER_MAX = 1e6
RANGES = {
    "events.default_severity": (1, 5),
    "events.distance_km": (0, 20_000),
    "events.half_life_days": (0, 365_250),
    "segments.length_km": (0, 20_000),
}


def _range_problem(key: str, value: float) -> str | None:
    low, high = RANGES.get(key, (-NUMBER_MAX, NUMBER_MAX))
    return None if low <= value <= high else f"{key} must be from {low:,g} to {high:,g}, got {value!r}"


def _numbers(table: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[tuple[str, float]]:
    """Every number in a config, with its dotted key (watchlist lists included)."""
    for key, value in table.items():
        where = (*path, str(key))
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else None
        if items is None:
            if _is_number(value):
                yield ".".join(where), value
        else:
            yield from _numbers(dict(items), where)


@dataclass(frozen=True)
class RiskConfig:
    """The model's weights, distances, half-lives and watchlist.

    Parameters
    ----------
    values
        The settings as ``risk.toml`` gives them; :meth:`load` reads and checks a file.
    """

    values: dict[str, Any]

    @classmethod
    def load(cls, path: str | Path | None = None) -> RiskConfig:
        """The defaults, with a user's TOML file (if given) laid over them."""
        defaults = loads_toml(default_config_text(), "risk.toml")
        if path is None:
            return cls(defaults)
        try:
            overrides = load_toml(path)
        except TomlError as error:
            raise ConfigError(str(error)) from None
        config = cls(_merge(defaults, overrides, str(path)))
        config.check(str(path))
        return config

    @property
    def model(self) -> str:
        """The model used when none is asked for (``[model] default``)."""
        return self["model"]["default"]

    def chosen(self, model: str | None) -> str:
        """The model asked for (a ``--model`` flag, a recipe's ``model``, a Python caller's
        ``model=``), else this config's (None). Every surface asks here, so a name that is not
        a model is a usage error everywhere, never the formula in silence (the CLI's choice
        refuses it too; ``assess(model="Learned")`` would not)."""
        if model is None:
            return self.model
        if model not in MODELS:
            raise RequestError([f"model must be {' or '.join(map(repr, MODELS))}, got {model!r}"])
        return model

    def __getitem__(self, section: str) -> dict[str, Any]:
        return self.values[section]

    def check(self, file: str = "config") -> None:
        """Values that would make the model meaningless are errors: a number that is not finite
        (TOML allows ``nan`` and ``inf``) anywhere, or outside its range (:data:`RANGES`), named
        by its key; a distance, length or half-life that is not positive; an unknown decay."""
        for key, value in _numbers(self.values):
            if not is_finite_number(value):
                raise ConfigError(f"{file}: {key} must be a finite number, got {value!r}")
            problem = _range_problem(key, value)
            if problem:
                raise ConfigError(f"{file}: {problem}")
        positive = [("segments", "length_km"), ("events", "distance_km"), ("events", "half_life_days")]
        for section, key in positive:
            if not self[section][key] > 0:
                raise ConfigError(f"{file}: {section}.{key} must be positive, got {self[section][key]!r}")
        from borderrisk.geo.borders import SEGMENT_MIN_KM

        if self["segments"]["length_km"] < SEGMENT_MIN_KM:
            raise ConfigError(f"{file}: segments.length_km must be at least {SEGMENT_MIN_KM:g}")
        if self["events"]["distance_decay"] not in ("linear", "none"):
            raise ConfigError(f"{file}: events.distance_decay must be 'linear' or 'none'")
        if self.model not in MODELS:
            raise ConfigError(f"{file}: model.default must be 'formula' or 'learned', got {self.model!r}")
        problem = check_classes(self["classes"], file)
        if problem:
            raise ConfigError(problem)

    def with_values(self, **sections: dict[str, Any]) -> RiskConfig:
        """A copy with some keys changed, e.g. ``config.with_values(events={"weight": 0})``."""
        config = RiskConfig(_merge(self.values, sections, "override"))
        config.check("override")
        return config
