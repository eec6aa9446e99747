"""The watchlist matches actors by word, as risk.toml documents, once per distinct actor."""

import numpy as np
import pandas as pd

from borderrisk.risk.config import RiskConfig
from borderrisk.risk.watch import actor_matches, name_pattern, watched_events, watched_names


def test_watched_names_match_as_whole_words_in_any_case():
    config = RiskConfig.load()
    pattern = name_pattern(watched_names(config["watchlist"]["countries"], config["watchlist"]["actors"]))
    for actor in ("Military Forces of Iran (1989-)", "IRAN", "Islamic Revolutionary Guard Corps (IRGC)", "IRGC"):
        assert actor_matches(actor, pattern), actor
    for actor in ("Iranshahr Communal Militia", "Military Forces of Iraq (2014-)", "Protesters (Bolivia)"):
        assert not actor_matches(actor, pattern), actor


def test_events_are_watched_by_an_actor_or_their_country_whatever_holds_the_actors():
    events = pd.DataFrame(
        {
            "actors": [["Smugglers", "Military Forces of Iran (1989-)"], None, ["Protesters"], (), ["IRGC"]],
            "country": ["BOL", "IRN", "BOL", None, "ARG"],
        }
    )
    assert watched_events(events, RiskConfig.load()).tolist() == [True, True, False, False, True]
    from_parquet = events.assign(actors=[None if a is None else np.array(a) for a in events.actors])
    assert watched_events(from_parquet, RiskConfig.load()).tolist() == [True, True, False, False, True]
