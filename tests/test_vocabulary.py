"""borderrisk's own words for values, in the map's language: the event types and location
precisions its readers write (ACLED's "battles", "exact") are translated in Spanish and
Portuguese maps like the scenario's own types, while a type a user's file brings is the
data's and stays as it is."""

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.data.formats import acled, gdelt, ucdp
from borderrisk.geo.places import find_place
from borderrisk.language import Language
from borderrisk.language.vocabulary import LOCATION_PRECISIONS
from borderrisk.layers.style import EVENT_TYPES

from exports import ACLED_COLUMNS, acled_row, table

#: ACLED's event types since 2019, as its codebook names them (the reader writes them in lower case).
ACLED_TYPES = ["Battles", "Protests", "Riots", "Explosions/Remote violence", "Violence against civilians"]
ACLED_TYPES += ["Strategic developments"]


def test_every_word_a_reader_writes_is_in_borderrisk_s_vocabulary():
    types = {t.lower() for t in ACLED_TYPES} | set(acled.OLD_EVENT_TYPES.values())
    types |= {*ucdp.VIOLENCE_TYPES.values(), *gdelt.CAMEO_ROOT_TYPES.values(), "other", "attack"}
    assert types - set(EVENT_TYPES) == set()
    precisions = {"exact", "approximate", *gdelt.GEO_TYPES.values(), *ucdp.WHERE_PRECISION.values()}
    precisions |= {find_place("Villazon").precision, find_place("Bolivia").precision}
    assert precisions - set(LOCATION_PRECISIONS) == set()


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (
            "es",
            {
                "battles": "batallas",
                "riots": "disturbios",
                "exact": "punto exacto",
                "approximate": "zona aproximada",
            },
        ),
        ("pt", {"battles": "batalhas", "riots": "motins", "exact": "ponto exato", "approximate": "área aproximada"}),
    ],
)
def test_a_map_writes_its_readers_words_in_its_language_and_a_file_s_own_as_it_is(tmp_path, code, words):
    rows = [acled_row(), acled_row(event_id_cnty="BOL2", event_type="Riots", geo_precision="2")]
    (tmp_path / "acled.csv").write_text(table(ACLED_COLUMNS, rows))
    own = "date,title,type,lat,lon\n2023-07-20,Crossing closed,border incident,-22.1,-65.6\n"
    (tmp_path / "own.csv").write_text(own)
    page = tmp_path / f"{code}.html"
    events = ["--events", str(tmp_path / "acled.csv"), "--events", str(tmp_path / "own.csv")]
    result = CliRunner().invoke(cli, ["map", *events, "--focus", "ARG,BOL", "--lang", code, "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    for english, translated in words.items():
        assert translated in html and f'"{english}"' not in html
    assert Language(code).gettext("battles") == words["battles"]
    assert f"{words['battles']}, 3 " in html  # the risk popup's reason: "(20 de julio de 2023, batallas, 3 muertos)"
    assert "battles" not in html and "border incident" in html  # the file's own type, as it is
