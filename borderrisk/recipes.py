"""Brief recipes: one TOML file names the inputs, filters, focus, title, marking, risk config
and outputs of a brief, so a weekly brief is one command and lives in version control.

Paths in a recipe are relative to the recipe file. See ``examples/brief.toml``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from borderrisk.data.errors import RequestError, UserError
from borderrisk.data.paths import MAP_OUTPUT, check_outputs
from borderrisk.data.toml import TomlError, load_toml
from borderrisk.risk import MODELS

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
    title, focus, view, marking, as_of, since, until, tiles, aggregate_above, draw, lang, share
        As for :class:`~borderrisk.render.mapping.BorderRiskMap`.
    events, agreements, alliances, annotations, layers
        Input files (``layers`` as ``(kind, path)`` pairs for plugin layers).
    events_format, columns, encoding, date_format, skip_bad_rows, root_events_only, once_per_source
        How events files are read (see :class:`~borderrisk.data.formats.EventsInput`).
    risk, risk_config
        Whether to score the focus borders, and with which ``risk.toml``.
    outputs, width, height, dpi
        Where to write (format by extension) and the size of PNG/PDF outputs.
    """

    title: str | None = None
    focus: list[str] = field(default_factory=list)
    #: Bounds (west, south, east, north) the map opens on instead of the focus borders.
    view: tuple[float, float, float, float] | None = None
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
    #: How dates are written when their column alone cannot say: "dmy", "mdy" or "%d-%m-%y".
    date_format: str | None = None
    skip_bad_rows: bool = False
    root_events_only: bool = False
    once_per_source: bool = False
    aggregate_above: int = 50_000
    risk: bool = True
    risk_config: Path | None = None
    #: "formula" or "learned"; None: the risk config's ``[model] default``.
    model: str | None = None
    draw: bool = True
    lang: str = "en"
    share: bool = False
    outputs: list[Path] = field(default_factory=list)
    # Not keys of a recipe file (see FROM_LOADING), but what loading one says of it.
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


class Expected(ValueError):
    """A recipe value that does not fit its key: the message says what would (``must be`` it)."""


class Invalid(ValueError):
    """A recipe value of the right kind that is still wrong: the message says why."""


Check = Callable[[Any, Path], Any]


def _paths(value: Any, base: Path) -> list[Path]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
        raise Expected("a file name or a list of file names")
    return [base / v for v in items]


def _path(value: Any, base: Path) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise Expected("a file name")
    return base / value


def _date(value: Any, base: Path) -> date:
    if isinstance(value, date):
        return value
    raise Expected("a TOML date, e.g. 2023-07-31 (no quotes)")


def _image(key: str) -> Check:
    least, most = IMAGE_RANGES[key]

    def check(value: Any, base: Path) -> int:
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or value < least
            or (most is not None and value > most)
        ):
            raise Expected(f"a whole number from {least} to {most}")
        return value

    return check


def _whole(expected: str) -> Check:
    def check(value: Any, base: Path) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise Expected(expected)
        return value

    return check


def _one_of(choices: Any, expected: str | None = None) -> Check:
    def check(value: Any, base: Path) -> Any:
        if value not in choices:
            raise Expected(expected or f"one of {', '.join(choices)}")
        return value

    return check


def _flag(value: Any, base: Path) -> bool:
    if not isinstance(value, bool):
        raise Expected("true or false")
    return value


def _text(value: Any, base: Path) -> str:
    if not isinstance(value, str):
        raise Expected("text")
    return value


def _layers(value: Any, base: Path) -> list[tuple[str, Path]]:
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) and "=" in v for v in items):
        raise Expected('a list of "NAME=PATH", e.g. ["patrols=patrols.geojson"]')
    return [(v.split("=", 1)[0], base / v.split("=", 1)[1]) for v in items]


def _window(value: Any, base: Path) -> tuple[date | None, date]:
    from borderrisk.data.filters import parse_window

    if isinstance(value, date):
        return None, value
    if isinstance(value, str):
        try:
            return parse_window(value)
        except ValueError:
            pass
    raise Expected('a TOML date (2023-06-30) or a window "2023-01-01..2023-06-30"')


def _conditions(value: Any, base: Path) -> list[str]:
    from borderrisk.data.filters import FilterError, parse_condition

    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise Expected('a list of conditions, e.g. ["type=battles", "actor~IRGC"]')
    try:
        return [str(parse_condition(v)) for v in items]
    except FilterError as error:
        raise Invalid(str(error)) from None


def _countries(value: Any, base: Path) -> list[str]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Expected('a list of countries, e.g. ["ARG", "BOL"]')
    return value


def _language(value: Any, base: Path) -> str:
    from borderrisk.language import LANGUAGES

    return _one_of(LANGUAGES)(value, base)


def _events_format(value: Any, base: Path) -> str:
    from borderrisk.data.formats import FORMATS

    return _one_of(FORMATS)(value, base)


def _columns(value: Any, base: Path) -> dict[str, str]:
    from borderrisk.data.formats.mapped import check_columns

    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Expected('a table of event column = "file column", e.g. {date = "event_date", type = "kind"}')
    try:
        return check_columns(value)
    except ValueError as error:
        raise Invalid(str(error)) from None


def _view(value: Any, base: Path) -> Any:
    from borderrisk.geo.errors import GeoLookupError, GeoRequestError
    from borderrisk.geo.extent import parse_view

    numbers = isinstance(value, list) and all(type(v) in (int, float) for v in value)
    if not (isinstance(value, str) or numbers):
        raise Expected('a place ("Bolivia", "La Quiaca") or bounds [west, south, east, north]')
    try:
        return parse_view(value)
    except (GeoLookupError, GeoRequestError) as error:
        raise Invalid(str(error)) from None


def _date_format(value: Any, base: Path) -> str:
    from borderrisk.data.formats.dates import check_date_format

    try:
        return check_date_format(str(value))
    except ValueError as error:
        raise Invalid(str(error)) from None


def _encoding(value: Any, base: Path) -> str:
    import codecs

    try:
        return codecs.lookup(str(value)).name
    except LookupError:
        raise Expected("a text encoding such as utf-8, cp1252 or latin-1") from None


#: Recipe fields that loading a file sets, not keys a file may give.
FROM_LOADING = frozenset({"folder", "named_outputs"})

#: The recipe file's schema: each key (the ``[image]`` table's keys too) and how its value is
#: checked and made into the :class:`Recipe` field of that name (paths relative to the recipe).
SCHEMA: dict[str, Check] = {
    "title": _text,
    "focus": _countries,
    "view": _view,
    "marking": _text,
    "as_of": _date,
    "since": _date,
    "until": _date,
    "where": _conditions,
    "compare_to": _window,
    "top": _whole("a whole number of segments"),
    "trend": _one_of(("week", "month", "quarter"), '"week", "month" or "quarter"'),
    "tiles": _text,
    "events": _paths,
    "agreements": _paths,
    "alliances": _paths,
    "annotations": _path,
    "layers": _layers,
    "events_format": _events_format,
    "columns": _columns,
    "encoding": _encoding,
    "date_format": _date_format,
    "skip_bad_rows": _flag,
    "root_events_only": _flag,
    "once_per_source": _flag,
    "aggregate_above": _whole("a whole number"),
    "risk": _flag,
    "risk_config": _path,
    "model": _one_of(MODELS, '"formula" or "learned"'),
    "draw": _flag,
    "share": _flag,
    "lang": _language,
    "outputs": _paths,
    **{key: _image(key) for key in IMAGE_RANGES},
}


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
    known = set(SCHEMA) - set(IMAGE_RANGES)
    unknown = sorted(set(data) - known) + [f"image.{k}" for k in sorted(set(image) - set(IMAGE_RANGES))]
    if unknown:
        raise RecipeError(
            f"{path}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}, "
            f"[image] {', '.join(IMAGE_RANGES)}"
        )
    values: dict[str, Any] = {}
    for key, value in {**data, **image}.items():
        try:
            values[key] = SCHEMA[key](value, path.parent)
        except Expected as error:
            raise RecipeError(f"{path}: {key!r} must be {error}, got {value!r}") from None
        except Invalid as error:
            raise RecipeError(f"{path}: {key!r}: {error}") from None
    return Recipe(**values, folder=path.parent, named_outputs=tuple(values.get("outputs", ())))


def _outside(outputs: list[Path], folder: Path) -> list[Path]:
    """The outputs that lie outside ``folder`` (links followed)."""
    real = os.path.realpath(folder)
    return [o for o in outputs if os.path.commonpath([real, os.path.realpath(o)]) != real]


def build(recipe: Recipe, progress: Any = None) -> Any:
    """The :class:`borderrisk.render.mapping.BorderRiskMap` a recipe describes (the built-in scenario when
    it names no events, agreements or alliances), scored when it has focus borders."""
    from borderrisk.data.filters import filter_events
    from borderrisk.inputs import load_layers
    from borderrisk.layers.annotations import AnnotationsLayer
    from borderrisk.layers.registry import layer_type
    from borderrisk.render.mapping import BorderRiskMap
    from borderrisk.risk.assessment import assess
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
        "view": recipe.view,
        "lang": recipe.lang,
        "share": recipe.share,
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
        config = RiskConfig.load(recipe.risk_config)
        assessing = {
            "config": config,
            "compare_to": recipe.compare_to,
            "border_trend": recipe.trend,
            "model": recipe.model,
        }
        m.add_assessment(assess(m.frames(), m.focus, as_of=m.scored_as_of, since=m.since, **assessing))
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
    for out in recipe.outputs:
        m.warn_if_not_to_share(out)
    return [Path(out) for out in recipe.outputs]


def _brief_extras(m: Any, recipe: Recipe) -> tuple[Any, Any]:
    """The top-segments table and the trend by border that a recipe puts under its map, from
    the map's assessment (the model is not run again)."""
    assessment = m.assessment
    if assessment is None:
        raise RecipeError("top and trend need a risk layer: name focus countries that share a border")
    table = None
    if recipe.top:
        from borderrisk.render.charts import top_table

        shown = assessment.comparison if assessment.comparison is not None else assessment.scores
        table = top_table(shown, recipe.top, m.language)
    return table, assessment.border_trend
