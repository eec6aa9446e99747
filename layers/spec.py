"""The layer spec: what a layer tells the map runtime (``borderrisk/render/static/runtime/``)
about drawing it, as one JSON-ready dict. The keys are typed here, in one place, so a layer's
author (a plugin's too) sees every one, a type checker can check them, and :func:`check_spec`
checks a spec when the map is rendered: a mistake is an error naming the layer and the key,
not a blank or silently grey map.

A spec gives its features' geometry in one of three forms, all of length ``n``:

- points as two columns ``x`` (longitude) and ``y`` (latitude), the compact form for many points;
- any geometry as GeoJSON geometry objects in ``geoms``;
- ``grid``: points aggregated as counts in cells, one level per zoom range, with a ``tally``
  of the events by cell, type and day that the time slider recounts (no ``props``).

Attribute columns go in ``props`` (from :func:`borderrisk.layers.base.columns`); ``colorBy``,
``dashBy``, ``radiusBy`` and ``time`` name one of them; ``tooltip`` and ``popup`` name the
columns shown on hover and click, where a column that is absent is skipped (so a layer can list
optional columns). A ``source`` column, or else the spec's ``source``, is shown in every popup.
"""

from __future__ import annotations

import math
import types
from typing import Any, Literal, TypedDict, Union, get_args, get_origin, get_type_hints, is_typeddict

import numpy as np

from borderrisk.data.errors import UserError


class Coded(TypedDict):
    """A column of few distinct values, sent once each: row ``i`` is ``values[codes[i]]``."""

    values: list[Any]
    codes: list[int]


#: A column: one JSON value per feature, or :class:`Coded`.
Column = list[Any] | Coded


class _ColorByRequired(TypedDict):
    field: str
    colors: dict[str, str]
    other: str


class ColorBy(_ColorByRequired, total=False):
    """Colour features by a column: ``colors`` maps its values to CSS colours, ``other`` is for
    the rest; ``target="fill"`` colours only the fill (the outline keeps ``style.color``)."""

    target: Literal["fill"]


class DashBy(TypedDict):
    """Draw dashed the features whose ``field`` is one of ``values``."""

    field: str
    values: list[Any]


class RadiusBy(TypedDict):
    """Circle radius in pixels: ``base + step × value`` of a numeric column (``style.radius``
    where the value is missing)."""

    field: str
    base: float
    step: float


class Chart(TypedDict):
    """A line chart in the popup, drawn as inline SVG: one series per feature over the popup's
    ``periods`` (a sparkline, or a full chart with axes when ``full``)."""

    label: str
    full: bool
    values: list[list[float | None]]


class _PopupRequired(TypedDict):
    title: str | None
    fields: list[tuple[str, str]]


class Popup(_PopupRequired, total=False):
    """The popup on click: a title column (none: the layer's name), then rows of
    ``[column, label]``, then optional charts over ``periods`` (their labels, e.g. months)."""

    periods: list[str]
    charts: list[Chart]


class Packed(TypedDict):
    """Whole numbers ≥ 0 packed as little-endian unsigned integers of ``bytes`` (1, 2 or 4)
    bytes each, in base64: the compact form for one number per event."""

    bytes: Literal[1, 2, 4]
    data: str


class GridLevel(TypedDict):
    """One level of aggregated cells, shown from ``minZoom`` to ``maxZoom``: each cell's
    position (the mean of all its events), the most events in one cell (its disc's full size),
    and for each leaf of the tally the cell holding it."""

    minZoom: int
    maxZoom: int
    x: list[float]
    y: list[float]
    biggest: int
    cell: Packed


class Tally(TypedDict):
    """A grid's events counted by leaf (a cell of the finest level), type (an index into the
    spec's ``types``), day and the precision their source knows that day to (an index into
    ``precisions``, so a cell of month-precision events gives months): entries sorted by day,
    the ``undated`` ones first (always shown), then those of ``days[k]`` (days since 1970)
    ending before entry ``ends[k]``."""

    leaves: int
    undated: int
    days: list[int]
    ends: list[int]
    leaf: Packed
    type: Packed
    count: Packed
    precision: Packed
    precisions: list[str]


class _LayerSpecRequired(TypedDict):
    name: str
    n: int


class LayerSpec(_LayerSpecRequired, total=False):
    """Everything the runtime needs to draw one layer; see the module's documentation.

    ``style`` holds Leaflet path options (``color``, ``weight``, ``fillOpacity``, ``radius``,
    ``dashArray`` ...); ``time`` names the date column the time slider filters by; ``types``
    and ``typeColors`` name and colour a grid's cell types; ``interactive=False`` draws
    features without popups or tooltips; ``cluster=True`` merges nearby points into clusters
    showing their count, which split as the map zooms in; ``dates`` names the columns that
    hold ISO dates, which the runtime writes in the map's language.
    """

    x: list[float]
    y: list[float]
    geoms: list[dict[str, Any]]
    grid: list[GridLevel]
    tally: Tally
    types: list[str]
    typeColors: list[str]
    props: dict[str, Column]
    style: dict[str, Any]
    colorBy: ColorBy
    dashBy: DashBy
    radiusBy: RadiusBy
    tooltip: list[str]
    popup: Popup
    time: str
    source: str | None
    interactive: bool
    cluster: bool
    dates: list[str]


class SpecError(UserError):
    """A layer describes itself wrongly (often a plugin); the message names the layer and the
    key, for the layer's author to fix."""


#: Keys that name a props column which must be there: a typo would change the drawing silently.
NAMED_COLUMNS = ("colorBy.field", "dashBy.field", "radiusBy.field", "time")
GEOMETRY_FORMS = (("x", "y"), ("geoms",), ("grid", "tally"))


def check_spec(spec: Any, layer: str) -> LayerSpec:
    """Return ``spec`` if the runtime can draw it, else raise :class:`SpecError`.

    Parameters
    ----------
    spec
        What a layer's ``spec()`` returned.
    layer
        The layer's name, for the message.

    Returns
    -------
    LayerSpec
        The same object.

    Raises
    ------
    SpecError
        One line per problem, each naming the key: a missing or unknown key, a value of the
        wrong type, a column of the wrong length, a named column that is not in ``props``.
    """
    problems = _type_problems(spec, LayerSpec, "")
    if not problems:
        problems = _shape_problems(spec)
    if problems:
        raise SpecError(f"layer {layer!r} has a spec the map cannot draw:\n" + "\n".join(problems))
    return spec


def _type_problems(value: Any, expected: Any, key: str) -> list[str]:
    where = f"spec key {key!r}" if key else "spec"
    if expected is Any:
        return []
    if is_typeddict(expected):
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {_shown(value)}"]
        hints = get_type_hints(expected)
        inner = f"{key}." if key else ""
        problems = [f"spec key {inner + name!r} is missing" for name in sorted(expected.__required_keys__ - set(value))]
        problems += [
            f"spec key {inner + str(name)!r} is not a key the runtime knows (known: {', '.join(hints)})"
            for name in value
            if name not in hints
        ]
        for name, item in value.items():
            if name in hints:
                problems += _type_problems(item, hints[name], inner + name)
        return problems
    origin, args = get_origin(expected), get_args(expected)
    if origin in (Union, types.UnionType):
        attempts = []
        for option in args:
            attempts.append(_type_problems(value, option, key))
            if not attempts[-1]:
                return []
        return min(attempts, key=len)
    if origin is Literal:
        return [] if value in args else [f"{where}: expected one of {', '.join(map(repr, args))}, got {_shown(value)}"]
    if origin is list:
        if not isinstance(value, (list, tuple)):
            return [f"{where}: expected a list, got {_shown(value)}"]
        if args[0] is Any:
            return []
        if args[0] in _NAMES:
            bad = _first_bad(value, args[0])
            return [] if bad is None else _type_problems(value[bad], args[0], f"{key}[{bad}]")
        for index, item in enumerate(value):
            problems = _type_problems(item, args[0], f"{key}[{index}]")
            if problems:
                return problems  # the first bad item says enough
        return []
    if origin is tuple:
        if not isinstance(value, (list, tuple)) or len(value) != len(args):
            return [f"{where}: expected a list of {len(args)}, got {_shown(value)}"]
        return [p for i, (item, kind) in enumerate(zip(value, args)) for p in _type_problems(item, kind, f"{key}[{i}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {_shown(value)}"]
        return [p for name, item in value.items() for p in _type_problems(item, args[1], f"{key}.{name}")]
    return [] if _is_a(value, expected) else [f"{where}: expected {_NAMES[expected]}, got {_shown(value)}"]


_NAMES = {str: "text", int: "a whole number", float: "a finite number", bool: "true or false", type(None): "null"}


def _is_a(value: Any, expected: type) -> bool:
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is type(None):
        return value is None
    return isinstance(value, expected)


def _first_bad(values: list[Any] | tuple[Any, ...], kind: type) -> int | None:
    """The index of the first value that is not a ``kind``; numbers are checked as one array."""
    try:
        if kind is float and math.isfinite(math.fsum(values)):  # fsum refuses text and null
            return None
        if kind is int and np.asarray(values).dtype.kind in "iu":
            return None
    except (TypeError, ValueError, OverflowError):
        pass
    return next((i for i, item in enumerate(values) if not _is_a(item, kind)), None)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return f"an object with keys {', '.join(map(repr, list(value)[:8]))}"
    if isinstance(value, (list, tuple)) and len(value) > 8:
        return f"a list of {len(value)} items"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _shape_problems(spec: LayerSpec) -> list[str]:
    forms = [form for form in GEOMETRY_FORMS if any(key in spec for key in form)]
    if len(forms) != 1 or not all(key in spec for key in forms[0]):
        return ["spec: give the geometry as exactly one of 'x' and 'y', 'geoms' or 'grid' and 'tally'"]
    n = spec["n"]
    problems = [
        f"spec key {key!r} has {len(spec[key])} items for n={n} features"
        for key in forms[0]
        if key not in ("grid", "tally") and len(spec[key]) != n
    ]
    if "grid" in spec:
        return problems
    problems += [f"spec key {key!r} is missing" for key in ("props", "style") if key not in spec]
    if spec.get("interactive", True):
        problems += [f"spec key {key!r} is missing" for key in ("tooltip", "popup") if key not in spec]
    props = spec.get("props", {})
    for name, column in props.items():
        length = len(column["codes"]) if isinstance(column, dict) else len(column)
        if length != n:
            problems.append(f"spec key 'props.{name}' has {length} values for n={n} features")
    for key in NAMED_COLUMNS:
        outer, _, inner = key.partition(".")
        named = spec.get(outer)
        column = named.get(inner) if isinstance(named, dict) else named
        if column is not None and column not in props:
            problems.append(f"spec key {key!r} names {column!r}, which is not a column in 'props' ({', '.join(props)})")
    return problems
