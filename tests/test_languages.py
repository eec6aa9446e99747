"""Maps in English, Spanish and Portuguese: the map's own text comes from the catalogues
(every message translated), dates and country names follow the language, the data's own text
does not change, and an unknown language is a usage error."""

import re
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.extract import extract_from_dir
from click.testing import CliRunner
from test_browser import open_every_popup

from borderrisk.cli.main import cli
from borderrisk.geo.borders import LENGTH_METHOD
from borderrisk.inputs import load_frames
from borderrisk.language import LANGUAGES, Language, UnknownLanguage, read_catalogue
from borderrisk.layers.base import DrawContext
from borderrisk.layers.change import ChangeLayer
from borderrisk.render.mapping import BorderRiskMap
from borderrisk.risk.assessment import assess

from house import SOURCE_FOLDERS

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "borderrisk" / "render" / "static"
#: Messages geo writes, which geo (below the language module) cannot mark itself.
FROM_GEO = [LENGTH_METHOD]
#: A message's placeholder, with its number format if it has one: {0}, {name}, {km:.0f}.
PLACEHOLDER = re.compile(r"\{\w*(?::[^{}]*)?\}")


def marked_messages() -> set[str]:
    """Every message marked in the code: ``N_("...")`` and ``gettext("...")``."""
    found = set(FROM_GEO)
    for top in SOURCE_FOLDERS:
        for _, _, message, _, _ in extract_from_dir(
            ROOT / top, method_map=[("**.py", "python")], keywords={"N_": None, "gettext": None}
        ):
            found.add(message)
    return found


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_every_message_the_code_marks_is_translated_and_no_other(code):
    catalogue = {m.id: m.string for m in read_catalogue(code) if m.id}
    marked = marked_messages()
    assert len(marked) > 100
    assert sorted(m for m in marked if not catalogue.get(m)) == []  # untranslated: add them to the .po
    assert sorted(set(catalogue) - marked) == []  # stale: no longer used


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_translations_keep_their_placeholders(code):
    for message in read_catalogue(code):
        if message.id:
            assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(message.id)), message.id


def test_the_runtime_scripts_hold_no_english_ui_text():
    """Text the scripts put on the page comes from the map's words (borderrisk.language)."""
    literal_text = re.compile(
        r"""(?:el|node)\("\w+",\s*(?:null|"[^"]*"),\s*"[^"]*[A-Za-z]{2}|textContent\s*=\s*"[^"]*[A-Za-z]|"""
        r"""setAttribute\("aria-label",\s*"|placeholder\s*=\s*"[^"]*[A-Za-z]"""
    )
    scripts = [STATIC / "draw.js", *(STATIC / "runtime").glob("*.js")]
    assert len(scripts) > 10
    for path in scripts:
        assert literal_text.findall(path.read_text(encoding="utf-8")) == [], path.name


def test_country_names_dates_and_numbers_follow_the_language():
    es, pt = Language("es"), Language("pt")
    assert es.country("BR", "Brazil") == "Brasil" and pt.country("DE", "Germany") == "Alemanha"
    assert es.country(None, "Somaliland") == "Somaliland"  # no ISO code: the Natural Earth name
    assert Language("en").country("BR", "Brazil") == "Brazil"
    assert es.date(date(2023, 7, 16)) == "16 de julio de 2023"
    assert pt.date(date(2023, 7, 16)) == "16 de julho de 2023"
    assert Language("en").date(date(2023, 7, 16)) == "2023-07-16"
    assert es.number(716.84, 1) == "716,8"
    assert es.gettext("Date") == "Fecha" and pt.gettext("Date") == "Data"


def test_an_unknown_language_is_refused_naming_the_choices():
    with pytest.raises(UnknownLanguage, match="en, es, pt"):
        BorderRiskMap(lang="xx")
    result = CliRunner().invoke(cli, ["map", "--lang", "xx", "-o", "unused.html"])
    assert result.exit_code == 2
    assert "'xx' is not one of 'en', 'es', 'pt'" in result.output


def test_a_recipe_names_the_language(tmp_path):
    from borderrisk.recipes import RecipeError, build, load_recipe

    recipe = tmp_path / "brief.toml"
    recipe.write_text('lang = "pt"\n')
    assert build(load_recipe(recipe)).language.code == "pt"
    recipe.write_text('lang = "fr"\n')
    with pytest.raises(RecipeError, match="'lang' must be one of en, es, pt"):
        load_recipe(recipe)


@pytest.fixture(scope="module")
def map_in(tmp_path_factory):
    """The seed scenario's map in a language, rendered once for this module."""
    made = {}

    def render(lang):
        if lang not in made:
            made[lang] = tmp_path_factory.mktemp(lang) / f"{lang}.html"
            result = CliRunner().invoke(cli, ["map", "--lang", lang, "-o", str(made[lang])])
            assert result.exit_code == 0, result.output
        return made[lang]

    return render


def test_a_spanish_map_speaks_spanish_and_keeps_the_data_as_it_is(map_in, offline_page):
    offline_page.open(map_in("es"))
    page = offline_page.page
    assert offline_page.errors == [] and offline_page.outside_requests == []
    events = open_every_popup(offline_page, "Eventos")
    mou = next(t for t in events if "defence and security MoU" in t)  # the data's own title, as it is
    assert "Fecha\t16 de julio de 2023" in mou and "Tipo\tfirma de acuerdo" in mou
    assert "Fuente: Seed article" in mou
    legend = page.locator(".br-legend").inner_text()
    assert "Argentina–Bolivia: 716,8 km" in legend and "ataque" in legend and "Riesgo (puntuación por tramo" in legend
    controls = page.locator(".leaflet-control-layers").inner_text()
    assert "Países" in controls and "Fronteras" in controls and "Eventos" in controls
    assert page.locator(".br-time-title").inner_text() == "Tiempo"
    assert page.locator(".br-time-label").inner_text().startswith("Hasta el ")
    assert "de 2023" in page.locator(".br-time-label").inner_text()
    assert page.locator(".br-time-play").inner_text() == "▶ Reproducir"
    assert "Fronteras: Natural Earth 1:10m" in page.locator(".br-footer").inner_text()
    assert "Formas dibujadas" in page.locator(".br-draw").inner_text()
    assert {"Argentina", "Bolivia", "Brasil"} <= country_tooltips(offline_page, "Países")


def test_a_portuguese_map_speaks_portuguese(map_in, offline_page):
    offline_page.open(map_in("pt"))
    events = open_every_popup(offline_page, "Eventos")
    mou = next(t for t in events if "defence and security MoU" in t)
    assert "Data\t16 de julho de 2023" in mou
    agreements = open_every_popup(offline_page, "Acordos")
    assert any("Situação\tassinado" in t for t in agreements)
    assert {"Brasil", "Alemanha"} <= country_tooltips(offline_page, "Países")
    assert offline_page.page.locator(".br-time-play").inner_text() == "▶ Reproduzir"


#: English sentences of the model's explanations, which a Spanish or Portuguese popup never shows.
ENGLISH_REASONS = ["event(s)", "located only to", "brings", "is a member of", "in the inputs", "signed", "within"]


def test_a_spanish_map_s_risk_popups_explain_every_factor_in_spanish(map_in, offline_page):
    offline_page.open(map_in("es"))
    popups = open_every_popup(offline_page, "Riesgo")
    assert len(popups) == 15 and offline_page.errors == []
    first = popups[0]
    assert "eventos\t+0,00: ningún evento localizado a menos de 100 km" in first
    assert "4 evento(s) localizado(s) solo en BOL (0,24): Bolivia states interest in Iranian drones" in first
    assert "(junio de 2011, declaración)" in first  # the data's title as it is, the date and type in Spanish
    assert "(defence MoU; firmado: 16 de julio de 2023) lleva a IRN a BOL: 1" in first
    assert "alianzas\t+1,00: BOL es miembro de ALBA-TCP" in first
    assert "anotaciones\t+0,00: no hay anotaciones en los datos de entrada" in first
    assert "3,3\n0,0\nagosto de 2021\njulio de 2023" in first  # the border's chart: highest, lowest, first, last month
    assert [english for text in popups for english in ENGLISH_REASONS if english in text] == []


def test_a_portuguese_map_s_risk_popups_explain_every_factor_in_portuguese(map_in, offline_page):
    offline_page.open(map_in("pt"))
    popups = open_every_popup(offline_page, "Risco")
    first = popups[0]
    assert "nenhum evento localizado a menos de 100 km" in first
    assert "(military cooperation MoU; assinado: outubro de 2010) leva IRN a BOL: 1" in first
    assert "BOL é membro de ALBA-TCP" in first and "(junho de 2011, declaração)" in first
    assert [english for text in popups for english in ENGLISH_REASONS if english in text] == []


def country_tooltips(offline_page, layer_name) -> set[str]:
    """The tooltip of every country (hovered at its centre)."""
    return set(
        offline_page.evaluate(
            """(name) => {
                const group = borderrisk.debug.layer(name);
                return group.getLayers().filter(l => l.getBounds().isValid()).map(layer => {
                    group.fire('mouseover', {latlng: layer.getBounds().getCenter(), layer: layer});
                    const tips = document.querySelectorAll('.br-tooltip');
                    return tips[tips.length - 1].innerText;
                });
            }""",
            layer_name,
        )
    )


def test_the_runtime_writes_dates_as_babel_does(map_in, offline_page):
    offline_page.open(map_in("pt"))
    days = [date(2023, 7, 16), date(1994, 1, 3), date(2010, 12, 31)]
    shown = offline_page.evaluate(
        "(days) => days.map(d => borderrisk.formatDate(borderrisk.maps()[0], d))", [d.isoformat() for d in days]
    )
    assert shown == [format_date(d, "long", locale="pt") for d in days]
    assert offline_page.evaluate("() => borderrisk.formatDate(borderrisk.maps()[0], '2010-10')") == "outubro de 2010"


def test_a_spanish_change_layer_writes_its_numbers_and_dates_in_spanish():
    frames, focus = load_frames()
    layer = ChangeLayer.of(assess(frames, focus, compare_to=(None, date(2022, 7, 16))))
    spanish = DrawContext(language=Language("es"))
    props = layer.spec(spanish)["props"]
    assert re.fullmatch(r"ARG–BOL km 0–50: [+-]\d+,\d\d", props["label"][0])
    assert re.fullmatch(r"\d+,\d\d → \d+,\d\d", props["scores_text"][0])
    assert re.fullmatch(r"acuerdos \([+-]\d+,\d\d\)", props["moved_text"][0])
    assert props["compared_with"][0] == "16 de julio de 2022"
    assert "desde 16 de julio de 2022" in layer.legend(spanish).title
    assert layer.spec(DrawContext())["props"]["compared_with"][0] == "2022-07-16"  # English keeps ISO dates
