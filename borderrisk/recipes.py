"""Brief recipes: one TOML file names the inputs, filters, focus, title, marking, risk config
and outputs of a brief, so a weekly brief is one command and lives in version control.

Paths in a recipe are relative to the recipe file. See ``examples/brief.toml``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from borderrisk.data.errors import RequestError, UserError
from borderrisk.data.paths import MAP_OUTPUT, check_outputs
from borderrisk.data.toml import TomlError, load_toml

logger = logging.getLogger("borderrisk.recipes")

#: Image size and resolution of PNG/PDF outputs: (least, greatest or None), for the command
#: line and recipes alike.
IMAGE_RANGES: dict[str, tuple[int, int | None]] = {"width": (200, 20_000), "height": (200, 20_000), "dpi": (48, 600)}


class RecipeError(UserError):
    """A recipe that cannot be used; the message names the file and the key."""


@dataclass
class Recipe:
    """Everything ``borderrisk map`` takes, as a recipe file gives it.

    Parameters
    ----------
    title, focus, marking, as_of, since, until, tiles, aggregate_above, draw, lang
        As for :class:`~borderrisk.render.mapping.BorderRiskMap`.
    events, agreements, alliances, annotations, layers
        Input files (``layers`` as ``(kind, path)`` pairs for plugin layers).
    events_format, columns, encoding, skip_bad_rows, root_events_only, once_per_source
        How events files are read (see :class:`~borderrisk.data.formats.EventsInput`).
    risk, risk_config
        Whether to score the focus borders, and with which ``risk.toml``.
    outputs, width, height, dpi
        Where to write (format by extension) and the size of PNG/PDF outputs.
    """

    title: str | None = None
    focus: list[str] = field(default_factory=list)
    marking: str | None = None
    as_of: date | None = None
    since: date | None = None
    until: date | None = None
    where: list[str] = field(default_factory=list)
    compare_to: tuple[date | None, date] | None = None
    #: Under the map in PNG/PDF outputs: a table of the N hottest segments, and a trend chart.
    top: int = 0
    trend: str | None = None
    tiles: str | None = None
    events: list[Path] = field(default_factory=list)
    agreements: list[Path] = field(default_factory=list)
    alliances: list[Path] = field(default_factory=list)
    annotations: Path | None = None
    layers: list[tuple[str, Path]] = field(default_factory=list)
    events_format: str = "auto"
    #: Any CSV by mapping: event column -> the file's column, e.g. {date = "event_date"}.
    columns: dict[str, str] | None = None
    encoding: str | None = None
    skip_bad_rows: bool = False
    root_events_only: bool = False
    once_per_source: bool = False
    aggregate_above: int = 50_000
    risk: bool = True
    risk_config: Path | None = None
    draw: bool = True
    lang: str = "en"
    outputs: list[Path] = field(default_factory=list)
    #: The recipe file's folder, when read from one: the outputs the file names must lie in it
    #: (a recipe is shared; it may not write ``../x.html`` or ``/abs/path``). Outputs given
    #: otherwise (``-o``) may be anywhere.
    folder: Path | None = None
    #: The outputs the file named (those the folder rule applies to).
    named_outputs: tuple[Path, ...] = ()
    width: int = 1600
    height: int = 1000
    dpi: int = 192

    def events_input(self) -> Any:
        """How the recipe's events files are read (:class:`borderrisk.data.formats.EventsInput`)."""
        from borderrisk.data.formats import EventsInput

        return EventsInput.of(vars(self), self.where)

    def inputs(self) -> list[Path]:
        """Every file or folder the recipe reads."""
        optional = [p for p in (self.annotations, self.risk_config) if p is not None]
        return [*self.events, *self.agreements, *self.alliances, *optional, *(p for _, p in self.layers)]

    def check(self, source: str | Path | None = None) -> None:
        """Every check that can fail before any work (``source``: the recipe file, an input too):
        the outputs (see :func:`borderrisk.data.paths.check_outputs`), the time range, the image
        ranges, and Chromium when a PNG or PDF is asked for. Raises :class:`RequestError` or
        :class:`borderrisk.render.export.ExportError`."""
        problems = []
        try:
            check_outputs(self.outputs, MAP_OUTPUT, [source, *self.inputs()])
        except RequestError as error:
            problems.extend(error.problems)
        outside = _outside([o for o in self.outputs if o in self.named_outputs], self.folder or Path("."))
        if self.folder is not None and outside:
            shown = ", ".join(repr(str(o)) for o in outside)
            problems.append(
                f"outputs {shown} lie outside the recipe's folder; a recipe writes only beside itself "
                "(name other outputs with -o on the command line)"
            )
        if self.since and self.until and self.since > self.until:
            problems.append(f"since {self.since} is after until {self.until}: no date is in that range")
        for name, (least, most) in IMAGE_RANGES.items():
            value = getattr(self, name)
            if value < least or (most is not None and value > most):
                problems.append(f"{name} {value} is outside the range {least} to {most}")
        if problems:
            raise RequestError([f"{source}: {p}" if source else p for p in problems])
        if any(Path(p).suffix.lower() in (".png", ".pdf") for p in self.outputs):
            from borderrisk.render.export import check_static_export

            check_static_export()


_PATH_LISTS = ("events", "agreements", "alliances", "outputs")
_PATHS = ("annotations", "risk_config")
_DATES = ("as_of", "since", "until")
_IMAGE = ("width", "height", "dpi")


def load_recipe(path: str | Path) -> Recipe:
    """Read and check a recipe file.

    Parameters
    ----------
    path
        A TOML recipe (``examples/brief.toml`` documents every key).

    Returns
    -------
    Recipe

    Raises
    ------
    RecipeError
        Naming the file and the key.
    """
    path = Path(path)
    try:
        data = load_toml(path)
    except TomlError as error:
        raise RecipeError(str(error)) from None
    image = data.pop("image", {})
    known = {f.name for f in fields(Recipe)} - set(_IMAGE) - {"folder", "named_outputs"}
    unknown = sorted(set(data) - known) + [f"image.{k}" for k in sorted(set(image) - set(_IMAGE))]
    if unknown:
        raise RecipeError(
            f"{path}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}, "
            f"[image] {', '.join(_IMAGE)}"
        )
    base = path.parent
    values: dict[str, Any] = {}
    for key, value in {**data, **image}.items():
        values[key] = _checked(path, key, value, base)
    return Recipe(**values, folder=base, named_outputs=tuple(values.get("outputs", ())))


def _outside(outputs: list[Path], folder: Path) -> list[Path]:
    """The outputs that lie outside ``folder`` (links followed)."""
    real = os.path.realpath(folder)
    return [o for o in outputs if os.path.commonpath([real, os.path.realpath(o)]) != real]


def _checked(path: Path, key: str, value: Any, base: Path) -> Any:
    def fail(expected: str) -> RecipeError:
        return RecipeError(f"{path}: {key!r} must be {expected}, got {value!r}")

    if key in _PATH_LISTS:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
            raise fail("a file name or a list of file names")
        return [base / v for v in items]
    if key in _PATHS:
        if not isinstance(value, str) or not value.strip():
            raise fail("a file name")
        return base / value
    if key in _DATES:
        if isinstance(value, date):
            return value
        raise fail("a TOML date, e.g. 2023-07-31 (no quotes)")
    if key in _IMAGE:
        least, most = IMAGE_RANGES[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < least or value > most:
            raise fail(f"a whole number from {least} to {most}")
        return value
    if key == "layers":
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) and "=" in v for v in items):
            raise fail('a list of "NAME=PATH", e.g. ["patrols=patrols.geojson"]')
        return [(v.split("=", 1)[0], base / v.split("=", 1)[1]) for v in items]
    if key == "compare_to":
        from borderrisk.data.filters import parse_window

        if isinstance(value, date):
            return None, value
        if isinstance(value, str):
            try:
                return parse_window(value)
            except ValueError:
                pass
        raise fail('a TOML date (2023-06-30) or a window "2023-01-01..2023-06-30"')
    if key == "top":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise fail("a whole number of segments")
        return value
    if key == "trend":
        if value not in ("week", "month", "quarter"):
            raise fail('"week", "month" or "quarter"')
        return value
    if key == "where":
        from borderrisk.data.filters import FilterError, parse_condition

        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise fail('a list of conditions, e.g. ["type=battles", "actor~IRGC"]')
        try:
            return [str(parse_condition(v)) for v in items]
        except FilterError as error:
            raise RecipeError(f"{path}: 'where': {error}") from None
    if key == "focus":
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",")]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail('a list of countries, e.g. ["ARG", "BOL"]')
        return value
    if key == "lang":
        from borderrisk.language import LANGUAGES

        if value not in LANGUAGES:
            raise fail(f"one of {', '.join(LANGUAGES)}")
        return value
    if key == "events_format":
        from borderrisk.data.formats import FORMATS

        if value not in FORMATS:
            raise fail(f"one of {', '.join(FORMATS)}")
        return value
    if key == "aggregate_above":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise fail("a whole number")
        return value
    if key == "columns":
        from borderrisk.data.formats.mapped import check_columns

        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise fail('a table of event column = "file column", e.g. {date = "event_date", type = "kind"}')
        try:
            return check_columns(value)
        except ValueError as error:
            raise RecipeError(f"{path}: 'columns': {error}") from None
    if key == "encoding":
        import codecs

        try:
            return codecs.lookup(str(value)).name
        except LookupError:
            raise fail("a text encoding such as utf-8, cp1252 or latin-1") from None
    if key in ("risk", "draw", "skip_bad_rows", "root_events_only", "once_per_source"):
        if not isinstance(value, bool):
            raise fail("true or false")
        return value
    if not isinstance(value, str):
        raise fail("text")
    return value


def build(recipe: Recipe, progress: Any = None) -> Any:
    """The :class:`borderrisk.render.mapping.BorderRiskMap` a recipe describes (the built-in scenario when
    it names no events, agreements or alliances), scored when it has focus borders."""
    from borderrisk.data.filters import filter_events
    from borderrisk.inputs import load_layers
    from borderrisk.layers.annotations import AnnotationsLayer
    from borderrisk.layers.registry import layer_type
    from borderrisk.render.mapping import BorderRiskMap
    from borderrisk.risk.config import RiskConfig

    layers, scenario = load_layers(
        recipe.events, recipe.agreements, recipe.alliances, how=recipe.events_input(), progress=progress
    )
    options: dict[str, Any] = {
        "as_of": recipe.as_of,
        "since": recipe.since,
        "until": recipe.until,
        "tiles": recipe.tiles,
        "marking": recipe.marking,
        "draw": recipe.draw,
        "aggregate_above": recipe.aggregate_above,
        "lang": recipe.lang,
    }
    if scenario is not None:
        options.update(scenario.map_options())
    if recipe.focus:
        options["focus"] = recipe.focus
    if recipe.title:
        options["title"] = recipe.title
    m = BorderRiskMap(**options)
    for layer in layers:
        m.add_layer(layer.with_frame(filter_events(layer.frame, recipe.where)) if layer.kind == "events" else layer)
    if recipe.annotations:
        _add_unique(m, AnnotationsLayer.read(recipe.annotations), recipe.annotations)
    for name, path in recipe.layers:
        _add_unique(m, layer_type(name).read(path), path)
    if recipe.risk and m.focus and _has_borders(m.focus):
        m.add_risk(RiskConfig.load(recipe.risk_config), compare_to=recipe.compare_to)
    return m


def _add_unique(m: Any, layer: Any, source: Path) -> None:
    """Add a layer read from ``source`` under a name no other layer has: two inputs never
    replace each other ("Events" from --events and from --layer events=... are "Events" and
    "Events 2"); the renaming is said on stderr."""
    wanted, number = layer.name, 2
    while layer.name in m.layers:
        layer.name, number = f"{wanted} {number}", number + 1
    if layer.name != wanted:
        logger.warning("%s: a layer named %r is already on the map; this one is %r", source, wanted, layer.name)
    m.add_layer(layer)


def score_recipe(recipe: Recipe) -> Any:
    """The segment scores of a recipe's focus borders, from its inputs, filters and dates (the
    built-in scenario when it names no inputs), as :func:`borderrisk.risk.model.score` gives them."""
    from borderrisk.inputs import load_layers
    from borderrisk.layers.frames import frames_of
    from borderrisk.risk.config import RiskConfig
    from borderrisk.risk.model import score

    layers, scenario = load_layers(recipe.events, recipe.agreements, recipe.alliances, how=recipe.events_input())
    focus = recipe.focus or (scenario.focus if scenario else None)
    if not focus:
        raise RecipeError("the recipe names no focus countries to score")
    return score(
        **frames_of(layers, recipe.annotations),
        focus=focus,
        as_of=recipe.as_of,
        since=recipe.since,
        until=recipe.until,
        where=recipe.where,
        config=RiskConfig.load(recipe.risk_config),
    )


def _has_borders(focus: tuple[str, ...]) -> bool:
    """Whether the focus names a border to score (focus countries without one get no risk layer)."""
    from borderrisk.risk.model import border_pairs

    try:
        border_pairs(focus)
    except ValueError:
        return False
    return True


def render_recipe(recipe: Recipe, source: str | Path | None = None) -> list[Path]:
    """Check the recipe, build the map and write every output it names, all or none.

    Parameters
    ----------
    recipe
        From :func:`load_recipe` or made in code.
    source
        The recipe's file, named in error messages.

    Returns
    -------
    list of Path
        The files written, format by extension (``.html``, ``.png``, ``.pdf``).
    """
    if not recipe.outputs:
        raise RecipeError("the recipe names no outputs")
    recipe.check(source)
    return save_outputs(build(recipe), recipe)


def save_outputs(m: Any, recipe: Recipe) -> list[Path]:
    """Write a built map to every output of the recipe, all or none: every output is rendered
    and staged before any is put in place. PNG and PDF outputs get the top table and the trend
    chart under the map when the recipe asks for them."""
    from borderrisk.data.files import atomic_write_all

    if not recipe.outputs:
        raise RecipeError("the recipe names no outputs")
    size = {"width": recipe.width, "height": recipe.height, "dpi": recipe.dpi}
    page = m.to_html()
    static = [out for out in recipe.outputs if Path(out).suffix.lower() in (".png", ".pdf")]
    picture = None
    if (recipe.top or recipe.trend) and static:
        from borderrisk.render.charts import brief_page

        table, series = _brief_extras(m, recipe)
        picture = m.to_bytes(".png", page=page, **size)
    staged = []
    for out in recipe.outputs:
        suffix = Path(out).suffix.lower()
        if picture is not None and suffix in (".png", ".pdf"):
            every = recipe.trend or "month"
            page_bytes = brief_page(picture, suffix[1:], table=table, series=series, every=every, language=m.language)
            staged.append((out, page_bytes))
        else:
            staged.append((out, m.to_bytes(Path(out).suffix, page=page, **size)))
    atomic_write_all(staged)
    return [Path(out) for out in recipe.outputs]


def _brief_extras(m: Any, recipe: Recipe) -> tuple[Any, Any]:
    """The top-segments table and the trend by border that a recipe puts under its map."""
    if "risk" not in {layer.kind for layer in m.layers.values()}:
        raise RecipeError("top and trend need a risk layer: name focus countries that share a border")
    risk = next(layer for layer in m.layers.values() if layer.kind == "risk").frame
    change = next((layer.frame for layer in m.layers.values() if layer.kind == "change"), None)
    table = None
    if recipe.top:
        from borderrisk.render.charts import top_table

        table = top_table(change if change is not None else risk, recipe.top, m.language)
    series = None
    if recipe.trend:
        from borderrisk.risk.config import RiskConfig
        from borderrisk.risk.trend import trend

        series = trend(
            **m.frames(),
            focus=m.focus,
            every=recipe.trend,
            by="border",
            as_of=date.fromisoformat(risk.attrs["as_of"]),
            since=recipe.since,
            config=RiskConfig.load(recipe.risk_config),
        )
    return table, series
