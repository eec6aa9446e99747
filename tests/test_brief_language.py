"""A brief in Spanish or Portuguese: the table of the hottest segments and the trend chart under
the map (and ``trend -o`` charts) write their titles, headers, axes, numbers, dates and
borderrisk's own event types (its readers' too: ACLED's "battles") in the brief's language; a
file's own event type stays as it is, and an English brief reads as before."""

import io
import re
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from borderrisk.cli.main import cli
from borderrisk.inputs import load_frames
from borderrisk.language import Language
from borderrisk.render.charts import brief_page, top_table, trend_figure
from borderrisk.risk.compare import compare
from borderrisk.risk.model import score
from borderrisk.risk.trend import trend

FOCUS = ["ARG", "BOL"]
ES, PT, EN = Language("es"), Language("pt"), Language("en")


@pytest.fixture(scope="module")
def compared():
    """The seed scenario scored now and compared with a year earlier."""
    frames, focus = load_frames()
    return compare(score(**frames, focus=focus), score(**frames, focus=focus, as_of=date(2022, 7, 16)))


@pytest.fixture(scope="module")
def series():
    """A year of monthly scores per segment from attacks (the scenario's word), battles (the word
    borderrisk's ACLED reader writes) and border incidents (a file's own word)."""
    rng = np.random.default_rng(3)
    n = 120
    events = gpd.GeoDataFrame(
        {
            "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
            "title": [f"event {i}" for i in range(n)],
            "type": rng.choice(["attack", "battles", "border incident"], n),
            "severity": rng.integers(1, 6, n),
        },
        geometry=gpd.points_from_xy(rng.uniform(-66, -63, n), rng.uniform(-22.5, -21.8, n)),
        crs="EPSG:4326",
    )
    return trend(events=events, focus=FOCUS, every="month", by="segment")


def chart_texts(figure) -> dict[str, list[str]]:
    """Every text of a drawn figure, by kind."""
    figure.canvas.draw()
    found: dict[str, list[str]] = {"title": [], "ylabel": [], "x": [], "y": [], "legend": []}
    for axes in figure.axes:
        found["title"].append(axes.get_title(loc="left"))
        found["ylabel"].append(axes.get_ylabel())
        found["x"] += [t.get_text() for t in axes.get_xticklabels() if t.get_text()]
        found["y"] += [t.get_text() for t in axes.get_yticklabels() if t.get_text()]
        legend = axes.get_legend()
        found["legend"] += [t.get_text() for t in legend.get_texts()] if legend else []
    return found


def test_a_spanish_brief_s_table_has_spanish_headers_numbers_and_factor_names(compared):
    table = top_table(compared, 3, ES)
    assert list(table.columns) == ["#", "frontera", "km", "puntuación", "cambio", "factor principal"]
    first = table.iloc[0]
    assert first["frontera"] == "ARG–BOL" and re.fullmatch(r"\d+–\d+", first["km"])
    assert re.fullmatch(r"\d+,\d\d", first["puntuación"]) and re.fullmatch(r"[+-]\d+,\d\d", first["cambio"])
    assert first["factor principal"] == "acuerdos 2,00"
    portuguese = ["#", "fronteira", "km", "pontuação", "variação", "fator principal"]
    assert list(top_table(compared, 3, PT).columns) == portuguese


def test_an_english_brief_s_table_reads_as_before(compared):
    table = top_table(compared, 3)
    assert list(table.columns) == ["#", "border", "km", "score", "change", "main factor"]
    assert table.iloc[0]["main factor"] == "agreements 2.00" and re.fullmatch(r"\d+\.\d\d", table.iloc[0]["score"])


def test_a_portuguese_trend_chart_writes_its_titles_axes_dates_and_event_types_in_portuguese(series):
    texts = chart_texts(trend_figure(series, every="month", language=PT))
    assert texts["title"][0] == "Pontuação de risco de fronteira por mês"
    assert texts["ylabel"][0] == "pontuação no fim de cada período"
    assert re.fullmatch(r"eventos perto de ARG–BOL km \d+–\d+", texts["ylabel"][1])
    assert texts["x"][:3] == ["janeiro de 2023", "março de 2023", "maio de 2023"]  # months, as pt writes them
    small = chart_texts(trend_figure(series.assign(score=series.score / 100), every="month", language=PT))
    assert "0,2" in small["y"] and not any("." in t for t in small["y"])  # a decimal comma
    assert {"ataque", "batalhas", "border incident"} <= set(texts["legend"])  # borderrisk's words translated
    assert "battles" not in texts["legend"]
    assert any(re.fullmatch(r"ARG–BOL km \d+–\d+", t) for t in texts["legend"])


def test_an_english_trend_chart_keeps_iso_dates(series):
    texts = chart_texts(trend_figure(series, every="month"))
    assert texts["title"][0] == "Border-risk score by month"
    assert all(re.fullmatch(r"\d{4}(-\d\d){0,2}", t) for t in texts["x"])
    assert "attack" in texts["legend"]


def test_a_spanish_brief_page_puts_the_table_and_chart_in_spanish_under_the_map(compared, series):
    picture = io.BytesIO()
    Image.new("RGB", (400, 250), "white").save(picture, format="PNG")
    pdf = brief_page(picture.getvalue(), "pdf", table=top_table(compared, 3, ES), series=series, language=ES)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Tramos más calientes" in text and "Puntuación de riesgo fronterizo por mes" in text
    assert "factor principal" in text and "acuerdos 2,00" in text
    assert "Hottest segments" not in text and "score" not in text


def test_trend_draws_its_chart_in_the_language_asked(tmp_path):
    out = tmp_path / "tendencia.svg"
    args = ["trend", "--focus", "ARG,BOL", "--every", "quarter", "-o", str(out), "--lang", "es"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert "Puntuación de riesgo fronterizo por trimestre" in svg and "Border-risk" not in svg


@pytest.mark.parametrize("language, stretch", [(EN, "1,200–1,250"), (ES, "1.200–1.250")])
def test_a_stretch_is_named_alike_in_the_risk_and_change_popups_the_brief_table_and_the_trend_chart(
    compared, language, stretch
):
    """One name for a stretch of a border everywhere, its kilometres grouped as the language
    writes numbers (English too: km 1,200, not km 1200)."""
    from borderrisk.layers.base import DrawContext
    from borderrisk.layers.change import ChangeLayer
    from borderrisk.layers.risk import RiskLayer
    from borderrisk.render.charts import row_label

    far = compared[compared.start_km == 0].assign(start_km=1200.0, end_km=1250.0)
    context = DrawContext(language=language)
    assert RiskLayer(far).spec(context)["props"]["label"][0].startswith(f"ARG–BOL km {stretch}: ")
    assert ChangeLayer(far).spec(context)["props"]["label"][0].startswith(f"ARG–BOL km {stretch}: ")
    assert top_table(far, 1, language).iloc[0]["km"] == stretch
    assert row_label(far.iloc[0][["a", "b", "start_km", "end_km"]], language) == f"ARG–BOL km {stretch}"
