"""Briefing outputs: the map as PNG and PDF with the marking on every output, annotations shown
as text, and brief recipes that rerun a whole brief in one command (the draw tool's export is in
test_draw.py)."""

import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from borderrisk.annotations.store import AnnotationStore
from borderrisk.cli.main import cli

pytestmark = pytest.mark.browser
MARKING = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("brief")
    result = run(
        "map",
        "--marking",
        MARKING,
        "--width",
        "1000",
        "--height",
        "700",
        "--dpi",
        "96",
        "-o",
        str(folder / "brief.html"),
        "-o",
        str(folder / "brief.png"),
        "-o",
        str(folder / "brief.pdf"),
    )
    assert result.exit_code == 0, result.output
    return folder


def test_png_is_the_map_not_a_blank_page(outputs):
    from PIL import Image

    image = Image.open(outputs / "brief.png").convert("RGB")
    assert image.size == (1000, 700)
    colours = image.getcolors(maxcolors=1_000_000)
    assert len(colours) > 200  # land, sea, borders, markers, text
    most_common_share = max(count for count, _ in colours) / (1000 * 700)
    assert most_common_share < 0.8


def test_the_marking_banner_is_at_the_top_and_bottom_of_the_png(outputs):
    from PIL import Image

    image = Image.open(outputs / "brief.png").convert("L")
    for row in (12, 700 - 12):  # inside the banners: white with black letters
        pixels = [image.getpixel((x, row)) for x in range(300, 700)]
        assert sum(p < 80 for p in pixels) > 10 and sum(p > 200 for p in pixels) > 200


def test_pdf_carries_the_map_and_the_marking(outputs):
    from pypdf import PdfReader

    pdf = PdfReader(outputs / "brief.pdf")
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert text.count(MARKING) == 2
    assert "Argentina–Bolivia" in text and "Sources:" in text


def test_the_html_has_the_marking_twice(outputs, offline_page):
    offline_page.open(outputs / "brief.html")
    banners = offline_page.evaluate("() => [...document.querySelectorAll('.br-marking')].map(b => b.textContent)")
    assert banners == [MARKING, MARKING]
    assert offline_page.outside_requests == [] and offline_page.errors == []


def test_annotations_show_on_the_map_as_text(tmp_path, offline_page):
    notes = tmp_path / "notes.geojson"
    AnnotationStore(notes).add(
        {"type": "Point", "coordinates": [-65.6, -22.1]}, title="<img src=x onerror=alert(1)>", note="{{7*7}}"
    )
    html = tmp_path / "map.html"
    assert run("map", "--annotations", str(notes), "-o", str(html)).exit_code == 0
    offline_page.open(html)
    counts = dict(offline_page.evaluate("() => borderrisk.debug.counts()"))
    assert counts["Annotations"] == 1
    assert offline_page.dialogs == []


def test_a_recipe_renders_the_whole_brief(tmp_path):
    recipe = tmp_path / "brief.toml"
    shutil.copy(EXAMPLES / "brief.toml", recipe)
    result = run("map", str(recipe), "--width", "800", "--height", "600", "--dpi", "96")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.html", "brief.pdf", "brief.png", "brief.toml"]
    assert MARKING in (tmp_path / "brief.html").read_text()


def test_command_line_options_override_the_recipe(tmp_path):
    recipe = tmp_path / "brief.toml"
    shutil.copy(EXAMPLES / "brief.toml", recipe)
    result = run("map", str(recipe), "-o", str(tmp_path / "only.html"), "--title", "Override")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.toml", "only.html"]
    assert "<title>Override</title>" in (tmp_path / "only.html").read_text()


def test_a_bad_recipe_names_the_key(tmp_path):
    recipe = tmp_path / "brief.toml"
    recipe.write_text('title = "x"\nfocsu = ["ARG"]\noutputs = ["x.html"]\n')
    result = run("map", str(recipe))
    assert result.exit_code == 1
    assert "focsu" in result.output and "brief.toml" in result.output
    recipe.write_text('as_of = "2023-07-31"\n')
    result = run("map", str(recipe))
    assert result.exit_code == 1 and "as_of" in result.output


def test_static_outputs_wait_for_the_map_to_settle(tmp_path):
    """The first fit of the view is animated; a PNG taken mid-zoom shows markers many times
    their size. A severity-5 attack is a vermillion circle of radius 11 px: about 400 pixels."""
    from PIL import Image

    events = tmp_path / "events.csv"
    events.write_text("date,title,type,severity,lat,lon\n2023-07-01,One attack,attack,5,-17.0,-64.0\n")
    png = tmp_path / "one.png"
    result = run(
        "map",
        "--events",
        str(events),
        "--focus",
        "BOL",
        "--no-risk",
        "--no-draw",
        "--dpi",
        "96",
        "--width",
        "900",
        "--height",
        "700",
        "-o",
        str(png),
    )
    assert result.exit_code == 0, result.output
    rgb = np.asarray(Image.open(png).convert("RGB")).astype(int)
    vermillion = int(((rgb[..., 0] > 150) & (rgb[..., 1] < 150) & (rgb[..., 2] < 90)).sum())
    assert 150 < vermillion < 1000
