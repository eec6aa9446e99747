"""The default scenario encodes the seed article: its dated facts, its places, its source."""

from pathlib import Path

import pandas as pd
import pytest

from borderrisk import scenarios

ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_0b4b21a30b518482.txt"


@pytest.fixture(scope="module")
def seed():
    return scenarios.load("seed")


def layer(seed, kind):
    (found,) = [layer for layer in seed.layers if layer.kind == kind]
    return found.frame


def test_the_seed_is_the_default_and_focuses_on_argentina_bolivia(seed):
    assert scenarios.DEFAULT == "seed"
    assert seed.focus == ["ARG", "BOL"]


def test_the_buenos_aires_attacks_are_dated_to_the_day(seed):
    events = layer(seed, "events")
    attacks = events[events["type"] == "attack"].set_index("date")
    assert attacks.loc[pd.Timestamp("1992-03-17"), "title"].startswith("Attack on the Israeli Embassy")
    assert "85" in attacks.loc[pd.Timestamp("1994-07-18"), "description"]
    assert set(attacks.country) == {"ARG"}
    assert set(attacks.location_precision) == {"city"}


def test_vague_dates_stay_vague(seed):
    events = layer(seed, "events").set_index("title")
    assert events.loc["Venezuela acquires Iranian drones", "date_precision"] == "year"
    assert events.loc["Evo Morales visits Tehran; Bolivia–Iran MoU signed", "date_precision"] == "month"


def test_the_2023_defence_mou_links_la_paz_and_tehran(seed):
    agreements = layer(seed, "agreements")
    mou = agreements[agreements.date == pd.Timestamp("2023-07-16")].iloc[0]
    assert mou.parties == ["BOL", "IRN"]
    assert mou.status == "signed"
    start = mou.geometry.coords[0]
    assert start == pytest.approx((-68.15, -16.5), abs=0.1)  # La Paz, the seat of government


def test_alba_tcp_members_are_the_articles_list(seed):
    members = layer(seed, "alliances")
    assert set(members.country) == {"CUB", "VEN", "BOL", "NIC", "DMA", "ATG", "VCT", "GRD", "KNA"}


def test_every_record_cites_the_article(seed):
    for found in seed.layers:
        assert found.frame.source.str.startswith("Seed article").all(), found.kind


@pytest.mark.skipif(not ARTICLE.exists(), reason="the seed article lives in shared/, beside the repository")
def test_every_year_and_person_comes_from_the_article(seed):
    text = ARTICLE.read_text(encoding="utf-8")
    for row in layer(seed, "events").itertuples():
        assert str(row.date.year) in text, row.title
        for actor in row.actors or []:
            assert actor in text, actor
