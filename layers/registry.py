"""Layer types by name, from the entry-point group ``borderrisk.layers``: the built-in layers
are registered there exactly as a third-party plugin registers its own. A plugin that fails to
load is listed as broken, with the reason, and breaks nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points

from borderrisk.data.errors import UserError

GROUP = "borderrisk.layers"


@dataclass(frozen=True)
class LayerType:
    """One registered layer type; ``error`` says why it cannot be used, if it cannot."""

    name: str
    package: str
    description: str
    cls: type | None = None
    error: str | None = None

    @property
    def readable(self) -> bool:
        """Whether it can be made from a file (``borderrisk map --layer NAME=PATH``)."""
        return self.cls is not None and callable(getattr(self.cls, "read", None))

    def read(self, path: str, **options: object) -> object:
        if self.cls is None:
            raise UserError(f"layer type {self.name!r} is broken: {self.error}")
        if not self.readable:
            raise UserError(f"layer type {self.name!r} cannot be read from a file")
        return self.cls.read(path, **options)


def _load(entry: object) -> LayerType:
    package = entry.dist.name if entry.dist is not None else "?"
    try:
        cls = entry.load()
    except Exception as error:  # a plugin may fail in any way; it must not take the CLI down
        return LayerType(entry.name, package, "", error=f"{type(error).__name__}: {error}")
    description = getattr(cls, "description", "") or (cls.__doc__ or "").strip().split("\n")[0]
    return LayerType(entry.name, package, description, cls=cls)


@lru_cache(maxsize=1)
def layer_types() -> dict[str, LayerType]:
    """Every registered layer type, by name.

    Returns
    -------
    dict of str to LayerType
        Built-in and plugin types from the ``borderrisk.layers`` entry points; a plugin that
        fails to load is there too, with its ``error``.
    """
    return {entry.name: _load(entry) for entry in sorted(entry_points(group=GROUP), key=lambda e: e.name)}


def layer_type(name: str) -> LayerType:
    types = layer_types()
    if name not in types:
        raise UserError(f"no layer type {name!r}; registered: {', '.join(types)}")
    return types[name]
