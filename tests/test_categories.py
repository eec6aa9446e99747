"""Many categories on one map: at most eight colours that stay apart (tests/test_colors.py), no
two legend entries alike, and beyond eight the seven commonest by name and the rest as
"other", whose popups still name their own category."""

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from borderrisk.language import Language
from borderrisk.layers.agreements import AgreementsLayer
from borderrisk.layers.alliances import AlliancesLayer
from borderrisk.layers.base import DrawContext
from borderrisk.layers.events import EventsLayer
from borderrisk.layers.frame import FrameLayer
from borderrisk.layers.style import EVENT_TYPE_COLORS, OTHER, PALETTE, Categories


def events_of_types(counts):
    """Events of types named by ``counts`` (type -> how many), as a ``--columns`` read gives."""
    types = [t for t, n in counts.items() for _ in range(n)]
    return gpd.GeoDataFrame(
        {
            "date": pd.Timestamp("2023-03-01"),
            "title": [f"event {i}" for i in range(len(types))],
            "type": types,
            "date_precision": "day",
        },
        geometry=[shapely.Point(-64 + i * 0.01, -22) for i in range(len(types))],
        crs="EPSG:4326",
    )


#: Twenty event types, as a table read by --columns gave: type k has 40 - k events.
TWENTY = {f"kind {k:02d}": 40 - k for k in range(20)}


def distinct_colors(items):
    colors = [item["color"] for item in items]
    return len(set(colors)) == len(colors)


@pytest.mark.parametrize("n", [1, 3, 7, 8])
def test_up_to_eight_categories_each_have_their_own_colour(n):
    categories = Categories.of([f"type {k}" for k in range(n) for _ in range(k + 1)])
    assert len(categories.colors) == n and categories.others == ()
    assert len(set(categories.colors.values())) == n
    assert set(categories.colors.values()) <= {*PALETTE, OTHER}


def test_beyond_eight_the_seven_commonest_are_coloured_and_the_rest_are_other():
    categories = Categories.of(events_of_types(TWENTY)["type"])
    assert list(categories.colors) == [f"kind {k:02d}" for k in range(7)]  # commonest first
    assert sorted(categories.colors.values()) == sorted(PALETTE)
    assert categories.others == tuple(f"kind {k:02d}" for k in range(7, 20))
    items = categories.legend("point", Language("es"))
    assert len(items) == 8 and distinct_colors(items)
    assert items[-1] == {"label": "otros (13 más)", "color": OTHER, "shape": "point"}


def test_borderrisks_own_types_keep_their_colours():
    categories = Categories.of(["attack", "visit", "visit", "riot"], EVENT_TYPE_COLORS)
    assert categories.colors["attack"] == EVENT_TYPE_COLORS["attack"]
    assert categories.colors["visit"] == EVENT_TYPE_COLORS["visit"]
    assert categories.colors["riot"] not in {EVENT_TYPE_COLORS["attack"], EVENT_TYPE_COLORS["visit"]}


def test_an_events_layer_of_twenty_types_draws_eight_colours_and_names_every_type_in_popups():
    layer = EventsLayer(events_of_types(TWENTY))
    legend = layer.legend()
    assert len(legend.items) == 8 and distinct_colors(legend.items)
    assert legend.items[-1]["label"] == "other (13 more)"
    spec = layer.spec(DrawContext())
    assert len(spec["colorBy"]["colors"]) == 7 and spec["colorBy"]["other"] == OTHER
    # The popup's Type field is the event's own type, for "other" types too.
    assert "kind 19" in spec["props"]["type"]["values"]


def test_a_grid_of_twenty_types_colours_the_seven_commonest():
    layer = EventsLayer(events_of_types(TWENTY))
    spec = layer.spec(DrawContext(aggregate_above=10))
    colors = dict(zip(spec["types"], spec["typeColors"]))
    assert {colors[f"kind {k:02d}"] for k in range(7)} == set(PALETTE)
    assert {colors[f"kind {k:02d}"] for k in range(7, 20)} == {OTHER}


def test_a_frame_layer_coloured_by_a_column_of_many_values_keeps_eight_colours():
    frame = events_of_types(TWENTY).rename(columns={"type": "unit"})
    legend = FrameLayer(frame, color_by="unit").legend()
    assert len(legend.items) == 8 and distinct_colors(legend.items)


def test_alliances_beyond_eight_fold_into_other():
    frame = pd.DataFrame({"alliance": [f"Pact {k}" for k in range(10)], "country": ["BOL"] * 10})
    legend = AlliancesLayer(frame).legend()
    assert len(legend.items) == 8 and distinct_colors(legend.items)


def test_agreement_statuses_drawn_alike_share_one_legend_entry():
    frame = pd.DataFrame(
        {
            "parties": [["BOL", "IRN"]] * 5,
            "date": pd.Timestamp("2023-07-20"),
            "type": "defence",
            "status": ["signed", "ratified", "in force", "suspended", "expired"],
        }
    )
    legend = AgreementsLayer(frame).legend()
    assert [item["label"] for item in legend.items] == ["signed", "ratified / in force", "suspended / expired"]
    looks = [(item["color"], item["dashed"]) for item in legend.items]
    assert len(set(looks)) == len(looks)
