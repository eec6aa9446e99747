"""A factor's explanation is a message of the catalogue with its arguments: ``score`` prints its
English text as it always has, and a map writes it in the map's language, with that language's
numbers and dates, borderrisk's own words (event types, agreement statuses) translated, and the
data's own text (titles, actors, alliance names, country codes) as it is."""

import pickle
import re
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from borderrisk.geo.borders import border
from borderrisk.inputs import load_frames
from borderrisk.language import Language
from borderrisk.layers.base import DrawContext
from borderrisk.layers.risk import RiskLayer
from borderrisk.risk.config import FACTORS, RiskConfig
from borderrisk.risk.model import score

AS_OF = date(2024, 1, 1)
FOCUS = ["ARG", "BOL"]
BORDER_XY = shapely.get_coordinates(border("ARG", "BOL").geometry)


def clash_near_the_border() -> gpd.GeoDataFrame:
    """One attack that killed 1,234 people, 0.05° north of a point of the ARG–BOL border."""
    lon, lat = BORDER_XY[10]
    return gpd.GeoDataFrame(
        {
            "date": [pd.Timestamp("2023-07-16")],
            "date_precision": ["day"],
            "title": ["Choque armado en la frontera"],
            "type": ["attack"],
            "severity": [5],
            "fatalities": [1234],
            "location_precision": ["exact"],
            "country": [None],
            "actors": [None],
        },
        geometry=[shapely.Point(lon, lat + 0.05)],
        crs="EPSG:4326",
    )


def popup_texts(scored: pd.DataFrame, lang: str) -> list[dict[str, str]]:
    """Each segment's factor lines as the risk layer hands them to the map, by factor."""
    props = RiskLayer(scored).spec(DrawContext(language=Language(lang)))["props"]
    return [dict(zip(FACTORS, row)) for row in zip(*(props[f"{name}_text"] for name in FACTORS))]


def explanation(row: pd.Series, factor: str) -> str:
    return next(f["explanation"] for f in row.factors if f["name"] == factor)


def test_an_english_map_shows_the_explanations_score_prints():
    scored = score(events=clash_near_the_border(), focus=FOCUS, as_of=AS_OF)
    shown = popup_texts(scored, "en")
    for row, lines in zip(scored.itertuples(), shown):
        for factor in row.factors:
            assert lines[factor["name"]] == f"{factor['contribution']:+.2f}: {factor['explanation']}"
    hot = scored.iloc[0]
    assert re.fullmatch(
        r"1 event\(s\) within 100 km; largest: Choque armado en la frontera \(2023-07-16, attack, 1,234 killed\) "
        r"at \d+ km: \d+\.\d\d",
        explanation(hot, "events"),
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "es",
            r"\+\d+,\d\d: 1 evento\(s\) a menos de 100 km; los de mayor peso: Choque armado en la frontera "
            r"\(16 de julio de 2023, ataque, 1\.234 muertos\) a \d+ km: \d+,\d\d",
        ),
        (
            "pt",
            r"\+\d+,\d\d: 1 evento\(s\) a menos de 100 km; os de maior peso: Choque armado en la frontera "
            r"\(16 de julho de 2023, ataque, 1\.234 mortos\) a \d+ km: \d+,\d\d",
        ),
    ],
)
def test_a_map_writes_nearby_events_with_its_language_s_numbers_dates_and_words(lang, expected):
    scored = score(events=clash_near_the_border(), focus=FOCUS, as_of=AS_OF)
    assert re.fullmatch(expected, popup_texts(scored, lang)[0]["events"])


def test_segments_without_nearby_events_say_so_in_the_map_s_language():
    scored = score(events=clash_near_the_border(), focus=FOCUS, as_of=AS_OF)
    far = [lines["events"] for lines in popup_texts(scored, "pt") if lines["events"].startswith("+0,00")]
    assert far and set(far) == {"+0,00: nenhum evento localizado a menos de 100 km"}


def test_agreements_alliances_and_country_events_speak_the_map_s_language():
    frames, focus = load_frames()  # the seed scenario: Bolivia–Iran MoUs, ALBA-TCP, statements
    scored = score(**frames, focus=focus)
    english, spanish, portuguese = (popup_texts(scored, lang)[0] for lang in ("en", "es", "pt"))
    assert "(defence MoU, signed 2023-07-16) brings IRN to BOL: 1" in english["agreements"]
    assert "(defence MoU; firmado: 16 de julio de 2023) lleva a IRN a BOL: 1" in spanish["agreements"]
    assert "(military cooperation MoU; assinado: outubro de 2010) leva IRN a BOL: 1" in portuguese["agreements"]
    assert spanish["alliances"] == "+1,00: BOL es miembro de ALBA-TCP"
    assert portuguese["alliances"] == "+1,00: BOL é membro de ALBA-TCP"
    assert "4 evento(s) localizado(s) solo en BOL (0,24): " in spanish["country_events"]
    assert "(junio de 2011, declaración)" in spanish["country_events"]
    assert spanish["annotations"] == "+0,00: no hay anotaciones en los datos de entrada"


def test_a_briefer_s_adjustment_and_a_switched_off_factor_are_translated_too():
    note = gpd.GeoDataFrame({"risk_adjustment": [1.5]}, geometry=[shapely.Point(*BORDER_XY[5]).buffer(0.05)])
    config = RiskConfig.load().with_values(alliances={"weight": 0})
    scored = score(annotations=note.set_crs("EPSG:4326"), focus=FOCUS, as_of=AS_OF, config=config)
    touched = scored[scored.annotations != 0].index[0]
    assert explanation(scored.loc[touched], "annotations") == "annotation: +1.5 (no reason given)"
    spanish = popup_texts(scored, "es")[touched]
    assert spanish["annotations"] == "+1,50: anotación: +1,5 (sin motivo indicado)"
    assert spanish["alliances"] == "+0,00: peso 0: factor desactivado"
    assert popup_texts(scored, "pt")[touched]["events"] == "+0,00: não há eventos nos dados de entrada"


def test_an_annotation_without_a_title_is_named_annotation_not_nan():
    """A GeoJSON store where only some features have a title reads the others' as NaN."""
    notes = gpd.GeoDataFrame(
        {"title": ["Smuggling corridor", np.nan], "risk_adjustment": [1.5, -0.75], "reason": ["patrols", "cleared"]},
        geometry=[shapely.Point(*BORDER_XY[5]).buffer(0.05), shapely.Point(*BORDER_XY[60]).buffer(0.05)],
        crs="EPSG:4326",
    )
    scored = score(annotations=notes, focus=FOCUS, as_of=AS_OF)
    explained = {explanation(row, "annotations") for _, row in scored[scored.annotations != 0].iterrows()}
    assert explained == {"Smuggling corridor: +1.5 (patrols)", "annotation: -0.75 (cleared)"}


def test_an_explanation_keeps_its_message_through_a_copy():
    """Scores travel between processes (dask workers) and are copied; the message goes along."""
    scored = score(events=clash_near_the_border(), focus=FOCUS, as_of=AS_OF)
    copied = pickle.loads(pickle.dumps(scored))
    assert popup_texts(copied, "es") == popup_texts(scored, "es")
    assert [f["explanation"] for f in copied.iloc[0].factors] == [f["explanation"] for f in scored.iloc[0].factors]
