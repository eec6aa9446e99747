"""BorderRiskMap: composes layers into one folium map with a legend, a title, a scale bar, a
layer control and a time filter, and saves it as a single offline HTML file."""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from borderrisk.data.documents import clean_text
from borderrisk.data.errors import UserError
from borderrisk.data.files import atomic_write
from borderrisk.data.paths import MAP_OUTPUT, check_outputs
from borderrisk.language import N_, Language
from borderrisk.layers.base import DrawContext, Layer, legend_of
from borderrisk.layers.borders import BordersLayer
from borderrisk.layers.countries import CountriesLayer
from borderrisk.layers.spec import LayerSpec, check_spec
from borderrisk.render.drawing import draw_tool, draw_words
from borderrisk.render.elements import (
    DataLayer,
    Raw,
    Runtime,
    footer,
    frame,
    language,
    layer_control,
    legend,
    marking,
    place_labels,
    scale_bar,
    time_filter,
    title,
)
from borderrisk.render.labels import label_data
from borderrisk.render.offline import OfflineMap
from borderrisk.render.wrap import wrapped_labels, wrapped_spec

if TYPE_CHECKING:
    import geopandas as gpd

    from borderrisk.data.formats.table import Licence
    from borderrisk.risk.assessment import Assessment
    from borderrisk.risk.config import RiskConfig

logger = logging.getLogger("borderrisk.render")
DEFAULT_TITLE = N_("Border-risk map")
#: Drawing order, bottom to top; kinds not listed (plugins) go below events.
Z_ORDER = {"countries": 0, "alliances": 1, "risk": 2, "borders": 3, "agreements": 4, "events": 6}


class LayerDict(dict):
    """The map's layers by name; ``m.layers["events"]`` finds "Events" too."""

    def __missing__(self, key: str) -> Layer:
        for name, layer in self.items():
            if name.casefold() == str(key).casefold():
                return layer
        raise KeyError(f"no layer {key!r}; layers: {', '.join(self)}")


class BorderRiskMap:
    """An interactive border-risk map: layers composed into one offline page.

    Parameters
    ----------
    focus
        Countries (codes or names) the view fits; their shared borders are highlighted.
    title
        The map's title, shown on it and as the page title.
    tiles
        An xyzservices provider name (online, opt-in; without it the map needs no network).
    since, until
        Keep only the features dated in that range.
    as_of
        The date the risk is scored at; features dated later are left out.
    source
        The sources line shown under the map and in popups without a source of their own.
    marking
        A handling marking, shown as a banner at the top and bottom.
    draw
        Whether the map has the draw tool.
    aggregate_above
        Point layers with more features than this are drawn as counts in grid cells.
    view
        What the map opens on instead of the focus borders: bounds ``(west, south, east,
        north)`` or ``"W,S,E,N"`` in degrees, or a place (a country or a town), see
        :func:`borderrisk.geo.extent.parse_view`.
    lang
        The language of the map's own text (legend, controls, popup fields, dates, country
        names): ``"en"``, ``"es"`` or ``"pt"`` (see :data:`borderrisk.language.LANGUAGES`). The
        data's own text is shown as it is.
    share
        A map to give others: events drawn only as counts in grid cells and the risk explained
        in counts, so that no event's own row (title, actors, notes, source) is in the page, as
        ACLED's and the GTD's terms require of anything passed on.

    Examples
    --------
    >>> m = BorderRiskMap(focus=["ARG", "BOL"], title="Argentina–Bolivia")
    >>> m.add_layer(EventsLayer.read("events.csv"))          # doctest: +SKIP
    >>> m.save("map.html")                                    # doctest: +SKIP
    """

    def __init__(
        self,
        focus: Iterable[str] = (),
        title: str | None = None,
        *,
        tiles: str | None = None,
        since: date | None = None,
        until: date | None = None,
        as_of: date | None = None,
        source: str | None = None,
        marking: str | None = None,
        draw: bool = True,
        aggregate_above: int = 50_000,
        view: str | Sequence[float] | None = None,
        lang: str = "en",
        share: bool = False,
    ) -> None:
        from borderrisk.geo.borders import borders_among
        from borderrisk.geo.countries import resolve

        self.focus = tuple(dict.fromkeys(resolve(c).code for c in focus))
        self.language = Language(lang)
        self.title = title or DEFAULT_TITLE
        self.tiles = tiles
        self.since = since
        self.as_of = as_of
        self.until = min((d for d in (until, as_of) if d is not None), default=None)
        self.source = source
        self.marking = marking
        self.draw = draw
        self.aggregate_above = aggregate_above
        self.share = share
        self.view = _view(view)
        #: How far from a border events count (the risk config's ``distance_km``): the opening
        #: view shows that much around the focus borders.
        self.reach_km: float | None = None
        self.layers = LayerDict()
        #: What the map's risk layers draw (see :meth:`add_assessment`); None until then.
        self.assessment: Assessment | None = None
        self.add_layer(CountriesLayer())
        shared = borders_among(self.focus) if len(self.focus) >= 2 else []
        if shared:
            self.add_layer(BordersLayer(shared))

    @classmethod
    def default(cls, **options: Any) -> BorderRiskMap:
        """The embedded default scenario: Bolivia–Iran defence ties and the Argentina–Bolivia border."""
        return cls.from_scenario("seed", **options)

    @classmethod
    def from_scenario(cls, name: str, **options: Any) -> BorderRiskMap:
        """A map of one embedded scenario (see :func:`borderrisk.scenarios.names`), scored."""
        from borderrisk import scenarios

        scenario = scenarios.load(name)
        m = cls(**{**scenario.map_options(), **options})
        for layer in scenario.layers:
            m.add_layer(layer)
        return m.add_risk()

    def frames(self) -> dict[str, Any]:
        """The data of the map's layers by kind (events, agreements, alliances, annotations),
        as the risk model takes them."""
        from borderrisk.layers.frames import frames_of

        return frames_of(list(self.layers.values()))

    def add_risk(
        self,
        config: RiskConfig | None = None,
        compare_to: tuple[date | None, date] | None = None,
        model: str | None = None,
    ) -> BorderRiskMap:
        """Assess the focus borders from the map's layers (see
        :func:`borderrisk.risk.assessment.assess`) and draw the assessment: the risk layer, and
        with ``compare_to`` (a date, or a window as ``(first, last)``) the change layer too;
        ``model="learned"`` draws each segment's probability of an event next month and its
        reasons (default: the config's ``[model] default``)."""
        from borderrisk.risk.assessment import assess

        if not self.focus:
            raise UserError("a risk layer needs focus countries that share a border")
        assessment = assess(
            self.frames(),
            self.focus,
            as_of=self.as_of or self.until,
            since=self.since,
            config=config,
            compare_to=compare_to,
            model=model,
        )
        return self.add_assessment(assessment)

    @property
    def scored_as_of(self) -> date | None:
        """The date the map's risk is scored at: ``as_of``, else ``until`` (None: the latest
        date of the inputs)."""
        return self.as_of or self.until

    def add_assessment(self, assessment: Assessment) -> BorderRiskMap:
        """Draw an assessment (the model already run, once): its scores as the risk layer,
        its comparison, if any, as the change layer. The map keeps it as :attr:`assessment`
        for what is written beside the map (a brief's table and chart)."""
        from borderrisk.layers.change import ChangeLayer
        from borderrisk.layers.risk import RiskLayer

        self.assessment = assessment
        self.reach_km = assessment.reach_km
        self.add_layer(RiskLayer.of(assessment))
        if assessment.comparison is not None:
            self.add_layer(ChangeLayer.of(assessment))
        return self

    def add_layer(self, layer: Layer | gpd.GeoDataFrame, **options: Any) -> BorderRiskMap:
        """Add (or replace, by name) a layer; returns the map so calls chain.

        A GeoDataFrame becomes a :class:`borderrisk.layers.frame.FrameLayer`; ``options`` are its
        ``name``, ``color_by``, ``tooltip``, ``popup``, ``date``, ``source`` and ``style``:

        >>> m.add_layer(patrols, name="Patrols", popup=["unit", "date"], color_by="type")  # doctest: +SKIP
        """
        import geopandas as gpd

        if isinstance(layer, gpd.GeoDataFrame):
            from borderrisk.layers.frame import FrameLayer

            options.setdefault("name", f"Layer {len(self.layers) + 1}")
            layer = FrameLayer(layer, **options)
        elif options:
            raise TypeError("options go with a GeoDataFrame; a Layer carries its own")
        if not isinstance(layer, Layer):
            raise TypeError(f"expected a borderrisk Layer or a GeoDataFrame, got {type(layer).__name__}")
        self.layers[layer.name] = layer
        return self

    def _visible_layers(self) -> list[Layer]:
        chosen = [layer.between(self.since, self.until) for layer in self.layers.values()]
        return sorted(chosen, key=lambda layer: Z_ORDER.get(layer.kind, 5))

    def to_folium(self, **options: Any) -> OfflineMap:
        """A real ``folium.Map`` with every layer drawn, to keep customising.

        It is an :class:`~borderrisk.render.offline.OfflineMap`: add any folium layer to it and
        ``fmap.save("map.html")`` still writes a page with no outside request (an element that
        would need one makes saving fail, naming it).

        Parameters
        ----------
        **options
            Passed to ``folium.Map``, e.g. ``width="50%"`` to put two maps side by side.

        Returns
        -------
        OfflineMap
        """
        import folium
        from folium.map import FitBounds

        m = OfflineMap(
            **{
                "location": [0, 0],
                "zoom_start": 2,
                "prefer_canvas": True,
                "control_scale": False,  # a metric one is added below
                "world_copy_jump": False,
                "zoom_snap": 0.25,  # the focus fills the view, not half of it
                **options,
            }
        )
        m.options.setdefault("max_zoom", 18)  # clusters need a last zoom; without tiles none gives one
        Runtime().add_to(m)
        language(self.language).add_to(m)
        if self.tiles:
            folium.TileLayer(self._tile_provider(), name=self.tiles, overlay=False, control=False).add_to(m)
        context = DrawContext(
            focus=self.focus,
            tiles=bool(self.tiles),
            aggregate_above=self.aggregate_above,
            language=self.language,
            share=self.share,
        )
        layers = self._visible_layers()
        if self.share:
            _check_shareable(layers)
        bounds = self._bounds(layers)
        opening = FitBounds(bounds)
        opening.options["animate"] = False  # the page opens on its view, not zooming into it
        opening.add_to(m)  # before the layers: each is first drawn near its final view (see frame below)
        east = bounds[1][1]  # above 180 for a view across the antimeridian
        for layer in layers:
            spec = wrapped_spec(check_spec(layer.spec(context), layer.name), east)
            DataLayer(_with_dates(spec, layer), name=layer.name, show=layer.show).add_to(m)
        sections = [section.as_dict() for layer in layers if (section := legend_of(layer, context)) and section.items]
        if sections:
            legend(sections).add_to(m)
        title(self._title(), self._subtitle(layers, context)).add_to(m)
        footer(self._footer()).add_to(m)
        if self.marking:
            marking(self.marking).add_to(m)
        if self.draw:
            draw_tool(draw_words(self.language)).add_to(m)
        span = self._time_span([layer for layer in layers if layer.time_filtered(context)])
        if span:
            time_filter(*span, span[1]).add_to(m)
        layer_control().add_to(m)
        scale_bar().add_to(m)
        frame(bounds).add_to(m)  # after every control: the view leaves them room
        names = label_data(self.focus, self._named_extent(bounds), self.language, view=bounds)
        place_labels(wrapped_labels(names, east)).add_to(m)
        m.get_root().header.add_child(Raw(f"<title>{html.escape(self._title())}</title>"), name="title")
        return m

    def to_html(self) -> str:
        """The map as one self-contained HTML page (no outside request unless ``tiles``)."""
        return self.to_folium().get_root().render()

    def save(self, path: str | Path, *, width: int = 1600, height: int = 1000, dpi: int = 192) -> Path:
        """Write the map atomically: the file is complete or untouched, never half-written.
        The extension chooses the format: ``.html`` (interactive, offline), or ``.png`` and
        ``.pdf`` (static, for slides: rendered offline by headless Chromium at ``width`` ×
        ``height`` CSS pixels and ``dpi``). ``-`` writes the HTML to stdout."""
        (checked,) = check_outputs([path], MAP_OUTPUT)
        atomic_write(checked, self.to_bytes(checked.suffix, width=width, height=height, dpi=dpi))
        self.warn_if_not_to_share(checked)
        return checked

    def licences(self) -> list[Licence]:
        """The terms of the sources of the map's rows (from their ``origin``)."""
        from borderrisk.data.formats.licences import licences_of

        return licences_of([layer.frame for layer in self.layers.values()])

    def warn_if_not_to_share(self, path: str | Path) -> None:
        """Say (a warning on stderr) that a written map holds raw rows its sources' terms
        forbid passing on, and how to write one that may be."""
        from borderrisk.data.formats.licences import restricted

        kept = restricted(self.licences())
        if kept and not self.share:
            names = " and ".join(licence.source for licence in kept)
            logger.warning(
                "%s holds %s's raw event rows, which %s's terms forbid giving to others: keep it to yourself, "
                "or write a map to share with --share (share=True; a recipe's share = true)",
                path,
                names,
                names,
            )

    def to_bytes(
        self, suffix: str, *, width: int = 1600, height: int = 1000, dpi: int = 192, page: str | None = None
    ) -> bytes:
        """The map as the bytes of a ``.png`` or ``.pdf`` file, or of the HTML page for any
        other suffix; ``page`` is the map's HTML when it is already rendered. Lone surrogates
        (from a title given as bytes that are not UTF-8) are replaced: they cannot be written."""
        page = clean_text(self.to_html() if page is None else page)
        if suffix.lower() in (".png", ".pdf"):
            from borderrisk.render.export import render_static

            return render_static(page, suffix.lower()[1:], width=width, height=height, dpi=dpi)
        return page.encode("utf-8")

    def _repr_html_(self) -> str:
        page = html.escape(self.to_html(), quote=True)
        return f'<iframe srcdoc="{page}" style="width:100%;height:560px;border:none"></iframe>'

    def _tile_provider(self) -> Any:
        import xyzservices.providers as xyz

        try:
            return xyz.query_name(self.tiles)
        except ValueError:
            raise UserError(
                f"unknown tile provider {self.tiles!r}; try OpenStreetMap.Mapnik or Esri.WorldImagery"
            ) from None

    def _title(self) -> str:
        return self.language.gettext(DEFAULT_TITLE) if self.title == DEFAULT_TITLE else self.title

    def _subtitle(self, layers: list[Layer], context: DrawContext) -> str:
        lang = self.language
        parts = [
            f"{lang.number(len(layer))} {layer.shown_name(context).lower()}"
            for layer in layers
            if layer.kind in ("events", "agreements")
        ]
        if self.as_of:
            parts.append(lang.gettext("as of {date}").format(date=lang.date(self.as_of)))
        if self.source:
            parts.append(lang.gettext("source: {source}").format(source=self.source))
        return " · ".join(parts)

    def _footer(self) -> str:
        from importlib.metadata import version

        lang = self.language
        if self.source:
            sources = lang.gettext("Sources: {source}.").format(source=self.source)
        elif self.share:
            sources = ""
        else:
            sources = lang.gettext("Sources: as cited in each popup.")
        licences = self.licences()
        if licences:
            cited = "; ".join(f"{licence.attribution} ({licence.terms})" for licence in licences)
            sources += " " + lang.gettext("Data: {sources}.").format(sources=cited)
        if self.share:
            sources += " " + lang.gettext("Shared map: events as counts only, no event's own row.")
        made = lang.gettext(
            "Borders: Natural Earth 1:10m. Places: GeoNames (CC BY 4.0). Made {date} with borderrisk {version}."
        )
        return f"{sources} {made.format(date=lang.date(date.today()), version=version('borderrisk'))}".strip()

    def _time_span(self, layers: list[Layer]) -> tuple[int, int] | None:
        dated = [layer.frame[layer.time_field].dropna() for layer in layers if layer.time_field]
        dates = pd.concat(dated) if dated else pd.Series([], dtype="datetime64[ns]")
        if dates.empty:
            return None
        first, last = dates.min(), dates.max()
        return int(first.value // 1_000_000), int(last.value // 1_000_000)

    def _named_extent(self, bounds: list[list[float]]) -> list[list[float]]:
        """Where the map names towns: its opening view and the focus countries whole, so the
        towns are named when a user zooms out from the border."""
        from borderrisk.geo.extent import country_bounds

        if not self.focus:
            return bounds
        west, south, east, north = country_bounds(self.focus)
        return _union(bounds, [[south, west], [north, east]])

    def _bounds(self, layers: list[Layer]) -> list[list[float]]:
        from borderrisk.geo.extent import WORLD, focus_bounds, view_bounds

        if self.view:
            minx, miny, maxx, maxy = self.view
        elif self.focus:
            reach = self.reach_km if self.reach_km is not None else _reach_km(None)
            minx, miny, maxx, maxy = focus_bounds(self.focus, reach)
        else:
            frames = [layer.frame for layer in layers if layer.kind != "countries" and len(layer)]
            total = pd.concat([f.geometry for f in frames]).total_bounds if frames else WORLD
            if self.share:  # out to whole degrees: the outermost events' own coordinates are no edge
                total = np.concatenate([np.floor(total[:2]), np.ceil(total[2:])])
            minx, miny, maxx, maxy = view_bounds(total)
        return [[miny, minx], [maxy, maxx]]


def _union(*boxes: list[list[float]]) -> list[list[float]]:
    """The smallest ``[[south, west], [north, east]]`` that holds every box."""
    return [
        [min(b[0][0] for b in boxes), min(b[0][1] for b in boxes)],
        [max(b[1][0] for b in boxes), max(b[1][1] for b in boxes)],
    ]


def _view(view: str | Sequence[float] | None) -> tuple[float, float, float, float] | None:
    """The ``view`` argument as bounds, checked now: a wrong place fails before any work."""
    from borderrisk.geo.errors import GeoLookupError, GeoRequestError
    from borderrisk.geo.extent import parse_view

    if view is None:
        return None
    try:
        return parse_view(view)
    except (GeoLookupError, GeoRequestError) as error:
        raise UserError(str(error)) from None


def _reach_km(config: RiskConfig | None) -> float:
    """How far from a border an event counts under ``config`` (the default when None)."""
    from borderrisk.risk.config import RiskConfig

    return float((config or RiskConfig.load())["events"]["distance_km"])


def _check_shareable(layers: list[Layer]) -> None:
    """A map to share draws events as counts (an events layer does so when sharing); any
    other layer holding rows whose sources' terms forbid passing them on (a GeoDataFrame added
    through the Python API, a plugin's layer) would draw each row, so the map is refused."""
    from borderrisk.data.formats.licences import licences_of, restricted

    for layer in layers:
        kept = [] if layer.kind == "events" else restricted(licences_of([layer.frame]))
        if kept:
            names = " and ".join(f"{licence.source}'s" for licence in kept)
            raise UserError(
                f"layer {layer.name!r} would draw {names} raw rows, which a map to share may not hold: "
                "add those events as an events layer (drawn as counts), or leave share off"
            )


def _with_dates(spec: LayerSpec, layer: Layer) -> LayerSpec:
    """The spec with ``dates``: its columns that hold dates, which the runtime writes in the
    map's language."""
    frame = layer.frame
    dated = [
        name for name in spec.get("props", {}) if name in frame and pd.api.types.is_datetime64_any_dtype(frame[name])
    ]
    return {**spec, "dates": dated} if dated else spec
