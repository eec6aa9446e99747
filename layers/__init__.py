"""What happens along borders, and how it is drawn. Imports geo and folium, never click.

The public API, importable from here (loaded on first use, so the CLI stays fast)::

    from layers import BorderRiskMap, score, RiskConfig, AnnotationStore

    m = BorderRiskMap.default()                 # the built-in scenario, scored
    m.layers["events"].frame                    # every layer is a GeoDataFrame
    m.add_layer(my_gdf, name="Patrols", color_by="unit")
    m.save("map.html")                          # or .png / .pdf
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_API = {
    "BorderRiskMap": "layers.render.mapping",
    "Layer": "layers.kinds.base",
    "FrameLayer": "layers.kinds.frame",
    "EventsLayer": "layers.kinds.events",
    "AgreementsLayer": "layers.kinds.agreements",
    "AlliancesLayer": "layers.kinds.alliances",
    "AnnotationsLayer": "layers.kinds.annotations",
    "BordersLayer": "layers.kinds.borders",
    "CountriesLayer": "layers.kinds.countries",
    "RiskLayer": "layers.kinds.risk",
    "AnnotationStore": "layers.annotations.store",
    "RiskConfig": "layers.risk.model",
    "score": "layers.risk.model",
    "Recipe": "layers.recipes",
    "load_recipe": "layers.recipes",
    "render_recipe": "layers.recipes",
    "layer_types": "layers.kinds.registry",
}
__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'layers' has no attribute {name!r}")
