"""The border-risk model: its config, the event-segment pairing every engine runs, the engines
and the scores built on them. ``from borderrisk.risk import score, RiskConfig`` works as before;
the names load on first use, so importing a submodule imports nothing else."""

from importlib import import_module
from typing import Any

#: The risk models: the formula score, and the learned probability (:mod:`borderrisk.risk.forecast`).
#: Here, where importing them costs nothing: the CLI's options and the recipes' schema name them.
MODELS = ("formula", "learned")

_API = {"score": "model", "rollup": "model", "RiskConfig": "config", "ConfigError": "config", "FACTORS": "config"}


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(f"{__name__}.{_API[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
