"""What happens along borders, and how it is drawn: borderrisk's one import name.

The public API, importable from here (loaded on first use, so the CLI stays fast)::

    import borderrisk as br

    m = br.BorderRiskMap.default()              # the built-in scenario, scored
    m.layers["events"].frame                    # every layer is a GeoDataFrame
    m.add_layer(my_gdf, name="Patrols", color_by="unit")
    m.save("map.html")                          # or .png / .pdf
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_API = {
    "BorderRiskMap": "borderrisk.render.mapping",
    "Layer": "borderrisk.layers.base",
    "FrameLayer": "borderrisk.layers.frame",
    "EventsLayer": "borderrisk.layers.events",
    "AgreementsLayer": "borderrisk.layers.agreements",
    "AlliancesLayer": "borderrisk.layers.alliances",
    "AnnotationsLayer": "borderrisk.layers.annotations",
    "BordersLayer": "borderrisk.layers.borders",
    "CountriesLayer": "borderrisk.layers.countries",
    "RiskLayer": "borderrisk.layers.risk",
    "AnnotationStore": "borderrisk.annotations.store",
    "RiskConfig": "borderrisk.risk.model",
    "score": "borderrisk.risk.model",
    "Recipe": "borderrisk.recipes",
    "load_recipe": "borderrisk.recipes",
    "render_recipe": "borderrisk.recipes",
    "layer_types": "borderrisk.layers.registry",
}
__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    if name == "__version__":  # read on demand: importlib.metadata costs the CLI's start time
        from importlib.metadata import version

        return version("borderrisk")
    raise AttributeError(f"module 'borderrisk' has no attribute {name!r}")
