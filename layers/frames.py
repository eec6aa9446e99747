"""The data of a set of layers by kind, as the risk model takes them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from borderrisk.annotations.store import read_annotations

if TYPE_CHECKING:
    from borderrisk.layers.base import Layer


def frames_of(layers: list[Layer], annotations: str | Path | None = None) -> dict[str, Any]:
    """The layers' data by kind, as the risk model takes them; an annotations file, if given,
    joins the annotation layers."""
    frames: dict[str, Any] = {}
    for kind in ("events", "agreements", "alliances", "annotations"):
        found = [layer.frame for layer in layers if layer.kind == kind]
        if kind == "annotations" and annotations:
            found.append(read_annotations(annotations))
        frames[kind] = pd.concat(found, ignore_index=True) if found else None
    return frames
