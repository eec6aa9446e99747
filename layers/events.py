"""The events layer: dated point events, coloured by type and sized by severity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from borderrisk.data.formats import Progress, Skipped, is_dataset, read_events
from borderrisk.data.readers import read_dataset
from borderrisk.language import N_
from borderrisk.language.vocabulary import LOCATION_PRECISIONS
from borderrisk.layers.base import PLAIN, DrawContext, Layer, Legend, columns, labelled, points, terms
from borderrisk.layers.grid import grid_spec
from borderrisk.layers.spec import LayerSpec
from borderrisk.layers.style import EVENT_RADIUS, EVENT_TYPE_COLORS, EVENT_TYPES, OTHER, Categories

POPUP_FIELDS = [
    ["date", N_("Date")],
    ["end_date", N_("Until")],
    ["type", N_("Type")],
    ["severity", N_("Severity (1–5)")],
    ["fatalities", N_("Fatalities")],
    ["actors", N_("Actors")],
    ["place", N_("Place")],
    ["location_precision", N_("Located to")],
    ["country", N_("Country")],
    ["description", N_("What happened")],
    ["confidence", N_("Confidence")],
    ["num_mentions", N_("Mentions")],
]


class EventsLayer(Layer):
    """Point events. Required columns: ``date``, ``title``, ``type`` and ``lat``/``lon`` or
    ``place``; see :data:`borderrisk.data.schema.EVENTS` for the rest.

    Parameters
    ----------
    frame
        Validated event records, points in EPSG:4326 (see :meth:`read`).
    name, show
        As for :class:`~borderrisk.layers.base.Layer`.
    """

    kind = "events"
    description = "Dated point events (attacks, visits, statements ...) from CSV or GIS files."
    default_name = N_("Events")
    time_field = "date"

    #: Rows left out of the files (bad rows with ``skip_bad_rows``, or by choice), by reason.
    skipped: Skipped | None = None

    @classmethod
    def read(
        cls,
        path: str | Path,
        *,
        format: str = "auto",
        columns: dict[str, str] | None = None,
        encoding: str | None = None,
        skip_bad_rows: bool = False,
        root_events_only: bool = False,
        once_per_source: bool = False,
        progress: Progress | None = None,
        date_format: str | None = None,
        **kwargs: Any,
    ) -> EventsLayer:
        """Read and validate events: borderrisk's own columns (CSV, GeoJSON, GeoPackage,
        GeoParquet), an ACLED, GDELT, GTD or UCDP export, or any table by a ``columns``
        mapping (see :mod:`borderrisk.data.formats`); ``format="auto"`` tells them apart by their
        content. ``path`` may be a folder or a glob of such files, or a folder of GeoParquet
        partitions (a dataset, as ``borderrisk convert`` writes). ``date_format`` (``dmy``, ``mdy``
        or a ``strptime`` form) says how dates are written when their column alone cannot."""
        if is_dataset(path):
            return cls(read_dataset(path), **kwargs)
        frame, skipped = read_events(
            path,
            format,
            columns=columns,
            encoding=encoding,
            skip_bad_rows=skip_bad_rows,
            root_events_only=root_events_only,
            once_per_source=once_per_source,
            progress=progress,
            date_format=date_format,
        )
        layer = cls(frame, **kwargs)
        layer.skipped = skipped
        return layer

    def spec(self, context: DrawContext) -> LayerSpec:
        if context.share or len(self.frame) > context.aggregate_above:
            return self._grid_spec(context)
        types, located = terms(context, EVENT_TYPES), terms(context, LOCATION_PRECISIONS)
        frame = self.frame.assign(
            type=self.frame["type"].map(lambda t: types.get(t, t)),
            **(
                {"location_precision": self.frame["location_precision"].map(lambda v: located.get(v, v))}
                if "location_precision" in self.frame
                else {}
            ),
        )
        props = columns(frame, ["title", *(f for f, _ in POPUP_FIELDS), "source"])
        spec: LayerSpec = {
            "name": self.shown_name(context),
            "n": len(frame),
            **points(frame),
            "props": props,
            "style": {"radius": EVENT_RADIUS["radius"], "weight": 1, "color": OTHER, "fillOpacity": 0.8},
            "colorBy": {"field": "type", "colors": self._colors(context).colors, "other": OTHER},
            "tooltip": ["date", "title"],
            "popup": {"title": "title", "fields": labelled(context, POPUP_FIELDS)},
            "time": "date",
            "cluster": True,
        }
        if "severity" in props:
            spec["radiusBy"] = {"field": "severity", "base": EVENT_RADIUS["base"], "step": EVENT_RADIUS["step"]}
        return spec

    def _grid_spec(self, context: DrawContext) -> LayerSpec:
        """Too many events for markers: counts in grid cells, finer as the map zooms in, that the
        time slider recounts (see :mod:`borderrisk.layers.grid` for why cells at this size)."""
        frame = self.frame
        spec = grid_spec(
            frame.geometry.x.to_numpy(),
            frame.geometry.y.to_numpy(),
            frame["type"],
            frame["date"],
            frame.get("date_precision"),
            at_centres=context.share,
        )
        colors, shown = self._colors(PLAIN).colors, terms(context, EVENT_TYPES)
        return {
            "name": self.shown_name(context),
            "n": len(frame),
            **spec,
            "types": [shown.get(t, t) for t in spec["types"]],
            "typeColors": [colors.get(t, OTHER) for t in spec["types"]],
        }

    def _colors(self, context: DrawContext) -> Categories:
        """The colour of each type (the commonest seven when there are more than eight), keyed
        by the type as shown in the map's language."""
        return Categories.of(self.frame["type"], EVENT_TYPE_COLORS).renamed(terms(context, EVENT_TYPES))

    def legend(self, context: DrawContext = PLAIN) -> Legend:
        return Legend(self.shown_name(context), self._colors(context).legend("point", context.language))
