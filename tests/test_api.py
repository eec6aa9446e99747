"""The Python API says what the CLI says, in the same words, and feels like explore()."""

import html
import inspect
import re
import subprocess
import sys

import folium
import geopandas as gpd
import pandas as pd
import pytest

import borderrisk
from borderrisk import BorderRiskMap, FrameLayer


@pytest.fixture
def patrols():
    return gpd.GeoDataFrame(
        {
            "unit": ["A", "A", "B"],
            "type": ["vehicle", "foot", "vehicle"],
            "date": pd.to_datetime(["2023-08-02", "2023-08-09", "2023-08-15"]),
        },
        geometry=gpd.points_from_xy([-65.6, -65.58, -63.7], [-22.08, -22.1, -22.02]),
        crs="EPSG:4326",
    )


def test_any_geodataframe_is_a_layer_in_one_call(patrols):
    m = BorderRiskMap(focus=["ARG", "BOL"]).add_layer(patrols, name="Patrols", popup=["unit", "date"], color_by="type")
    layer = m.layers["patrols"]
    assert isinstance(layer, FrameLayer)
    assert layer.frame.equals(patrols)
    assert layer.time_field == "date"
    assert [item["label"] for item in layer.legend().items] == ["vehicle", "foot"]  # commonest first


def test_layers_in_other_crs_are_reprojected(patrols):
    layer = FrameLayer(patrols.to_crs("EPSG:3857"), name="Projected")
    assert layer.frame.crs.to_epsg() == 4326
    assert layer.frame.geometry.x.iloc[0] == pytest.approx(-65.6)


def test_bad_options_name_the_column(patrols):
    with pytest.raises(ValueError, match="'colour'"):
        FrameLayer(patrols, color_by="colour")


def test_to_folium_is_a_real_folium_map_and_the_notebook_view_is_offline(patrols):
    m = BorderRiskMap(focus=["BOL"]).add_layer(patrols, name="Patrols")
    assert isinstance(m.to_folium(), folium.Map)
    view = m._repr_html_()
    assert view.startswith("<iframe srcdoc=")
    page = html.unescape(view)
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"?(https?:)?//", page)


def test_the_public_api_is_documented():
    for name in borderrisk.__all__:
        obj = getattr(borderrisk, name)
        assert (obj.__doc__ or "").strip(), name
    assert "add_layer" in BorderRiskMap.__dict__ and "GeoDataFrame" in BorderRiskMap.add_layer.__doc__


@pytest.mark.parametrize("name", borderrisk.__all__)
def test_every_public_name_has_a_numpydoc_docstring(name):
    """A summary line, then a Parameters section for whatever it takes, and a Returns section
    for a function that returns something."""
    obj = getattr(borderrisk, name)
    obj = getattr(obj, "__wrapped__", obj)
    doc = inspect.getdoc(obj) or ""
    assert doc and doc.splitlines()[0].strip(), f"{name} has no summary line"
    signature = inspect.signature(obj.__init__ if inspect.isclass(obj) else obj)
    takes = [p for p in signature.parameters if p not in ("self", "cls")]
    if takes:
        assert "\nParameters\n----------\n" in doc, f"{name} takes {takes} but documents no Parameters"
    if inspect.isfunction(obj) and signature.return_annotation not in ("None", None, inspect.Signature.empty):
        assert "\nReturns\n-------\n" in doc, f"{name} documents no Returns"


def test_every_public_name_is_what_it_says_even_after_the_renderer_is_imported():
    """A public name must not be shadowed by a subpackage (``borderrisk.render`` once shadowed
    the recipe function ``render``)."""

    for name in borderrisk.__all__:
        assert not inspect.ismodule(getattr(borderrisk, name)), name


def test_a_notebook_beside_its_own_layers_and_geo_modules_still_gets_ours(tmp_path):
    """One import name: a user's ``layers.py`` or ``geo.py`` beside a notebook shadows nothing of ours."""
    (tmp_path / "layers.py").write_text("raise ImportError('the user layers.py was imported')\n")
    (tmp_path / "geo.py").write_text("raise ImportError('the user geo.py was imported')\n")
    code = (
        "import borderrisk as br; from borderrisk.layers import Layer; from borderrisk.geo.countries import countries; "
        "m = br.BorderRiskMap(focus=['ARG', 'BOL']); assert issubclass(br.FrameLayer, Layer); print(len(countries()))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 250
