"""The Layer contract every layer fulfils, built-in or plugin: data first, then drawing.

A layer holds its features as a GeoDataFrame (``layer.frame``: inspect, filter, join it) and
describes how it is drawn with one columnar "spec", which :mod:`borderrisk.render` hands to the map
runtime (``render/static/runtime/``) to turn into Leaflet layers, popups and tooltips.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from borderrisk.data.schema import DATE_TEXT
from borderrisk.language import ENGLISH, Language
from borderrisk.layers.spec import LayerSpec

if TYPE_CHECKING:
    import geopandas as gpd


@dataclass(frozen=True)
class DrawContext:
    """What a layer may want to know about the map it is drawn on."""

    focus: tuple[str, ...] = ()
    tiles: bool = False
    #: Point layers with more features than this are drawn aggregated.
    aggregate_above: int = 50_000
    #: The map's language: every text a layer writes itself goes through it.
    language: Language = ENGLISH
    #: A map to give others under terms that forbid passing raw rows on: events only as counts.
    share: bool = False


#: A map with no focus, no tiles, in English.
PLAIN = DrawContext()


@dataclass
class Legend:
    """One legend section: ``items`` are dicts of label, color, shape (point/line/area), dashed."""

    title: str
    items: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "items": self.items}


class Layer(ABC):
    """A named set of features that can be inspected as a GeoDataFrame and drawn on a map.

    Subclasses set ``kind`` (the registry name) and ``description``, and implement
    :meth:`spec` (see :mod:`borderrisk.layers.spec`); dated layers name their date column in
    ``time_field``.

    Parameters
    ----------
    frame
        The features, in EPSG:4326.
    name
        The name shown in the legend and the layer control (default: ``default_name``).
    show
        Whether the layer is switched on when the map opens.
    """

    kind: ClassVar[str]
    description: ClassVar[str] = ""
    default_name: ClassVar[str] = ""
    time_field: ClassVar[str | None] = None

    def __init__(self, frame: gpd.GeoDataFrame, *, name: str | None = None, show: bool = True) -> None:
        self._frame = frame
        self.name = name or self.default_name or self.kind.title()
        self.show = show

    @property
    def frame(self) -> gpd.GeoDataFrame:
        """The features of this layer (EPSG:4326)."""
        return self._frame

    def __len__(self) -> int:
        return len(self._frame)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}: {len(self)} features>"

    def between(self, since: date | None = None, until: date | None = None) -> Layer:
        """A copy holding only the features dated within [since, until]; undated layers and
        undated features are kept."""
        if self.time_field is None or (since is None and until is None):
            return self
        dates = self._frame[self.time_field]
        keep = pd.Series(True, index=self._frame.index)
        if since is not None:
            keep &= dates.isna() | (dates >= pd.Timestamp(since))
        if until is not None:
            keep &= dates.isna() | (dates <= pd.Timestamp(until))
        return self.with_frame(self._frame[keep])

    def with_frame(self, frame: gpd.GeoDataFrame) -> Layer:
        """A copy of this layer (name, options, reading notes) holding ``frame`` instead."""
        narrowed = copy.copy(self)
        narrowed._frame = frame
        return narrowed

    def time_filtered(self, context: DrawContext) -> bool:
        """Whether the map's time slider filters this layer as drawn."""
        return self.time_field is not None

    @abstractmethod
    def spec(self, context: DrawContext) -> LayerSpec:
        """How the map runtime draws this layer: geometry, data columns, style, popup, tooltip.

        Parameters
        ----------
        context
            The map it is drawn on (focus countries, tiles, the aggregation threshold).

        Returns
        -------
        LayerSpec
            A JSON-ready dict whose keys :mod:`borderrisk.layers.spec` documents and
            :func:`borderrisk.layers.spec.check_spec` checks when the map is rendered.
        """

    def shown_name(self, context: DrawContext) -> str:
        """The name in the map's language when it is the kind's default name; a name the user
        gave is theirs and stays as it is."""
        if self.default_name and self.name == self.default_name:
            return context.language.gettext(self.name)
        return self.name

    def legend(self, context: DrawContext = PLAIN) -> Legend | None:
        """The layer's legend section, written in ``context.language``."""
        return None


def legend_of(layer: Layer, context: DrawContext) -> Legend | None:
    """A layer's legend section in the map's language. Plugins written before maps had a
    language define ``legend(self)``; they keep working, their legend as they write it."""
    import inspect

    takes_context = bool(inspect.signature(layer.legend).parameters)
    return layer.legend(context) if takes_context else layer.legend()


def labelled(context: DrawContext, fields: list[list[str]]) -> list[list[str]]:
    """Popup rows ``[column, label]`` with the labels in the map's language."""
    return [[column, context.language.gettext(label)] for column, label in fields]


def country_name(context: DrawContext, code: str) -> str:
    """A country's name, by code, in the map's language."""
    from borderrisk.geo.countries import resolve

    country = resolve(code)
    return context.language.country(country.iso2, country.name)


def terms(context: DrawContext, vocabulary: list[str]) -> dict[str, str]:
    """borderrisk's own words for values (event types, statuses) in the map's language; a value
    outside the vocabulary is the data's own and is shown as it is."""
    return {term: context.language.gettext(term) for term in vocabulary}


def columns(frame: pd.DataFrame, names: list[str]) -> dict[str, Any]:
    """Columns as JSON-ready lists: dates as text at their precision (``format_date``), NaN as null.
    A column whose few distinct values repeat is sent once per value, as ``{values, codes}``."""
    out: dict[str, Any] = {}
    for name in names:
        if name not in frame:
            continue
        series = frame[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            values = _dates_as_text(series, frame.get(f"{name}_precision")).tolist()
        elif pd.api.types.is_numeric_dtype(series):
            values = [None if pd.isna(v) else v for v in series.astype(object).tolist()]
        else:
            values = [v if isinstance(v, str) else _plain(v) for v in series.tolist()]
        out[name] = _dictionary_encoded(values)
    return out


def _dictionary_encoded(values: list[Any]) -> Any:
    if len(values) < 64 or any(isinstance(v, list) for v in values[:64]):
        return values
    codes, distinct = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    if len(distinct) > len(values) // 4:
        return values
    return {"values": [None if v is None or v != v else v for v in distinct], "codes": codes.tolist()}


def _dates_as_text(series: pd.Series, precision: pd.Series | None) -> pd.Series:
    """:func:`~borderrisk.data.schema.format_date` of a whole column, by precision at once."""
    text = series.dt.strftime("%Y-%m-%d")
    if precision is not None:
        for name, (chars, mark) in DATE_TEXT.items():
            text = text.where(precision != name, text.str[:chars] + mark)
    return text.astype(object).where(series.notna(), None)


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v) for v in value]
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return str(value)


def shapes(geometries: gpd.GeoSeries, decimals: int) -> list[dict[str, Any]]:
    """Geometries as GeoJSON dicts with coordinates rounded to ``decimals``."""
    import json

    import shapely

    rounded = shapely.transform(geometries.to_numpy(), lambda xy: np.round(xy, decimals))
    return [json.loads(text) for text in shapely.to_geojson(rounded)]


def points(frame: gpd.GeoDataFrame, decimals: int = 5) -> dict[str, list[float]]:
    """Point coordinates as two rounded columns, the most compact form for many points."""
    return {
        "x": np.round(frame.geometry.x.to_numpy(), decimals).tolist(),
        "y": np.round(frame.geometry.y.to_numpy(), decimals).tolist(),
    }
