"""The layer spec is a typed contract: every built-in layer keeps it, and a layer that breaks it
(a plugin's typo, a wrong type, a column too short) is refused when the map is rendered, with an
error naming the layer and the key."""

import copy

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.layers.base import DrawContext, Layer, Legend, columns, points
from borderrisk.layers.spec import LayerSpec, SpecError, check_spec
from borderrisk.render.mapping import BorderRiskMap


def sightings():
    return gpd.GeoDataFrame(
        {"unit": ["Escuadrón 54", "Escuadrón 20"], "date": pd.to_datetime(["2023-08-02", "2023-08-15"])},
        geometry=gpd.points_from_xy([-65.6, -63.7], [-22.1, -22.0]),
        crs="EPSG:4326",
    )


class Sightings(Layer):
    """A plugin-like layer whose spec a test can spoil."""

    kind = "sightings"

    def __init__(self, spoil=lambda spec: None):
        super().__init__(sightings(), name="Sightings")
        self.spoil = spoil

    def spec(self, context: DrawContext) -> LayerSpec:
        spec: LayerSpec = {
            "name": self.name,
            "n": len(self.frame),
            **points(self.frame),
            "props": columns(self.frame, ["unit", "date"]),
            "style": {"color": "#2e7d32", "radius": 6},
            "colorBy": {"field": "unit", "colors": {"Escuadrón 54": "#2e7d32"}, "other": "#8c8c8c"},
            "tooltip": ["unit"],
            "popup": {"title": "unit", "fields": [["date", "Date"]]},
            "time": "date",
        }
        self.spoil(spec)
        return spec


@pytest.mark.parametrize("as_of", [None, "2011-12-31"])
def test_every_built_in_layer_keeps_the_contract(as_of):
    m = BorderRiskMap.default(**({"as_of": pd.Timestamp(as_of).date()} if as_of else {}))
    context = DrawContext(focus=m.focus)
    for layer in m.layers.values():
        assert check_spec(layer.spec(context), layer.name)


def test_aggregated_events_keep_the_contract_too(fixtures):
    from borderrisk.layers.events import EventsLayer

    events = EventsLayer.read(fixtures / "events_ok.csv")
    spec = events.spec(DrawContext(aggregate_above=1))
    assert "grid" in spec and check_spec(spec, "Events") is spec


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda s: s.update(colourBy=s.pop("colorBy")), r"'colourBy' is not a key the runtime knows"),
        (lambda s: s["colorBy"].update(field="units"), r"'colorBy\.field' names 'units', which is not a column"),
        (lambda s: s.update(time="day"), r"'time' names 'day'"),
        (lambda s: s["popup"].update(fields=[["date"]]), r"'popup\.fields\[0\]': expected a list of 2"),
        (lambda s: s["x"].pop(), r"'x' has 1 items for n=2 features"),
        (lambda s: s["y"].__setitem__(1, float("nan")), r"'y\[1\]': expected a finite number, got nan"),
        (lambda s: s["colorBy"].update(colors={"Escuadrón 54": 3}), r"'colorBy\.colors\.Escuadrón 54': expected text"),
        (lambda s: s.pop("popup"), r"'popup' is missing"),
        (lambda s: s.update(geoms=[]), r"exactly one of 'x' and 'y', 'geoms' or 'grid' and 'tally'"),
        (lambda s: s["props"].update(unit=["only one"]), r"'props\.unit' has 1 values for n=2"),
    ],
    ids=[
        "typo",
        "unknown-column",
        "time-column",
        "popup-pair",
        "short",
        "nan",
        "colour-type",
        "missing",
        "two-forms",
        "props",
    ],
)
def test_a_broken_spec_is_refused_naming_the_layer_and_the_key(spoil, message, tmp_path):
    m = BorderRiskMap(focus=["BOL"]).add_layer(Sightings(spoil))
    with pytest.raises(SpecError, match=r"layer 'Sightings' has a spec the map cannot draw:\n.*" + message):
        m.save(tmp_path / "map.html")
    assert not (tmp_path / "map.html").exists()


def test_an_unbroken_spec_renders():
    assert "Escuadrón 54" in BorderRiskMap(focus=["BOL"]).add_layer(Sightings()).to_html()


def test_a_plugin_written_before_legends_had_a_language_still_draws_its_legend():
    class OldSightings(Sightings):
        def legend(self):  # the 0.1 contract: no context
            return Legend("Sightings", [{"label": "patrol sighting", "color": "#2e7d32", "shape": "point"}])

    for lang in ("en", "es"):
        assert "patrol sighting" in BorderRiskMap(focus=["BOL"], lang=lang).add_layer(OldSightings()).to_html()


def test_the_check_does_not_change_the_spec():
    spec = Sightings().spec(DrawContext())
    before = copy.deepcopy(spec)
    check_spec(spec, "Sightings")
    assert spec == before


def test_the_cli_reports_a_broken_plugin_spec_in_one_line(tmp_path, fixtures, monkeypatch):
    from borderrisk_example_plugin import PatrolsLayer

    original = PatrolsLayer.spec
    monkeypatch.setattr(PatrolsLayer, "spec", lambda self, context: {**original(self, context), "colour": "red"})
    out = tmp_path / "map.html"
    result = CliRunner().invoke(
        cli, ["map", "--focus", "BOL", "--layer", f"patrols={fixtures / 'patrols.csv'}", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "layer 'Patrols' has a spec the map cannot draw" in result.output
    assert "'colour' is not a key the runtime knows" in result.output
    assert "Traceback" not in result.output and not out.exists()
