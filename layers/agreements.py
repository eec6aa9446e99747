"""The agreements layer: agreements between countries, drawn as geodesic arcs between the
parties' seats of government (La Paz, not Sucre), coloured by status."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderrisk.data.readers import read_records
from borderrisk.data.schema import AGREEMENTS
from borderrisk.language import N_
from borderrisk.layers.base import PLAIN, DrawContext, Layer, Legend, columns, country_name, labelled, shapes, terms
from borderrisk.layers.spec import LayerSpec
from borderrisk.layers.style import AGREEMENT_DASHED, AGREEMENT_STATUS_COLORS, AGREEMENT_STATUSES, OTHER

if TYPE_CHECKING:
    import geopandas as gpd

POPUP_FIELDS = [
    ["party_names", N_("Parties")],
    ["type", N_("Type")],
    ["status", N_("Status")],
    ["date", N_("Date")],
    ["end_date", N_("Ended")],
    ["signatories", N_("Signed by")],
    ["place", N_("Signed in")],
    ["description", N_("About")],
]


def arcs_between_seats(parties: list[str]) -> Any:
    """Geodesic arcs between the seats of government of every pair of parties."""
    import shapely

    from borderrisk.geo.geodesy import geodesic_arc
    from borderrisk.geo.places import seat_of_government

    seats = [seat_of_government(code) for code in parties]
    lines = [geodesic_arc(a.lon, a.lat, b.lon, b.lat) for a, b in combinations(seats, 2)]
    return lines[0] if len(lines) == 1 else shapely.MultiLineString(lines)


class AgreementsLayer(Layer):
    """Agreements. Required columns: ``parties`` (codes or names separated by ';'), ``date``,
    ``type``, ``status``; see :data:`borderrisk.data.schema.AGREEMENTS` for the rest.

    Parameters
    ----------
    frame
        Validated agreement records (see :meth:`read`); arcs are drawn between the parties' seats.
    name, show
        As for :class:`~borderrisk.layers.base.Layer`.
    """

    kind = "agreements"
    description = "Agreements between countries, as geodesic arcs between seats of government."
    default_name = N_("Agreements")
    time_field = "date"

    def __init__(self, frame: gpd.GeoDataFrame, **kwargs: Any) -> None:
        import geopandas as gpd

        from borderrisk.geo.countries import resolve

        frame = frame.copy()
        frame["party_names"] = [[resolve(code).name for code in parties] for parties in frame.parties]
        frame = gpd.GeoDataFrame(frame, geometry=[arcs_between_seats(p) for p in frame.parties], crs="EPSG:4326")
        super().__init__(frame, **kwargs)

    @classmethod
    def read(cls, path: str | Path, **kwargs: Any) -> AgreementsLayer:
        """Read and validate an agreements file (CSV, GeoJSON, GeoPackage, GeoParquet)."""
        return cls(read_records(path, AGREEMENTS), **kwargs)

    def spec(self, context: DrawContext) -> LayerSpec:
        statuses = terms(context, AGREEMENT_STATUSES)
        parties = [[country_name(context, code) for code in p] for p in self.frame.parties]
        frame = self.frame.assign(party_names=parties, status=self.frame.status.map(lambda s: statuses.get(s, s)))
        frame = frame.assign(
            label=[
                t if isinstance(t, str) and t else f"{', '.join(p)}: {kind}"
                for t, p, kind in zip(frame.get("title", [None] * len(frame)), frame.party_names, frame["type"])
            ]
        )
        props = columns(frame, ["label", *(f for f, _ in POPUP_FIELDS), "source"])
        return {
            "name": self.shown_name(context),
            "n": len(frame),
            "geoms": shapes(frame.geometry, 4),
            "props": props,
            "style": {"weight": 3, "opacity": 0.85, "color": OTHER},
            "colorBy": {
                "field": "status",
                "colors": {statuses[s]: color for s, color in AGREEMENT_STATUS_COLORS.items()},
                "other": OTHER,
            },
            "dashBy": {"field": "status", "values": [statuses[s] for s in AGREEMENT_DASHED]},
            "tooltip": ["date", "label"],
            "popup": {"title": "label", "fields": labelled(context, POPUP_FIELDS)},
            "time": "date",
        }

    def legend(self, context: DrawContext = PLAIN) -> Legend:
        """One entry per way a status is drawn: statuses drawn alike (ratified and in force;
        suspended, expired and withdrawn) share an entry, so no two entries look the same."""
        present = sorted(self.frame.status.dropna().unique(), key=list(AGREEMENT_STATUS_COLORS).index)
        drawn: dict[tuple[str, bool], list[str]] = {}
        for status in present:
            drawn.setdefault((AGREEMENT_STATUS_COLORS[status], status in AGREEMENT_DASHED), []).append(status)
        return Legend(
            self.shown_name(context),
            [
                {
                    "label": " / ".join(context.language.gettext(status) for status in statuses),
                    "color": color,
                    "shape": "line",
                    "dashed": dashed,
                }
                for (color, dashed), statuses in drawn.items()
            ],
        )
