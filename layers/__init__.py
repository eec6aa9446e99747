"""The layer kinds, installed as ``borderrisk.layers``: the :class:`Layer` contract and its typed
spec, the registry, style, and one module per built-in kind. A layer is data first (a
GeoDataFrame); nothing here imports folium. Plugins subclass ``borderrisk.layers.Layer``."""

from __future__ import annotations

from importlib import import_module
from typing import Any

_API = {
    "Layer": "borderrisk.layers.base",
    "layer_types": "borderrisk.layers.registry",
}
__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name in _API:  # loaded on first use: importing the package must not load geopandas
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'borderrisk.layers' has no attribute {name!r}")
