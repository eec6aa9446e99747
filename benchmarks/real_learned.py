"""The learned model on public real files, out of sample: `backtest --model learned` on each,
monthly, and the table of docs/validation.md (all models' AUPR and Brier, the learned model's
skill over the better of persistence and history, and the onset figures).

The files are not shipped here (UCDP: CC BY 4.0; ACLED: its terms of use). Fetch each from its
repository at the commit named, into one folder, then:

    python benchmarks/real_learned.py FOLDER [--json-dir DIR]

The R data files are converted first into GED CSV as benchmarks/real_map.py writes them
(``ged_<name>.csv``); every other file is read as it comes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

#: name: (repository, path, commit, file read, backtest arguments)
DATASETS = {
    "UCDP GED 23.1, Central African Republic": (
        "optgeo/ucdp-23.1-482",
        "GEDEvent_v23_1.geojson",
        "be05b36cd56d147ca1d47bb392c186b6b7447d56",
        "GEDEvent_v23_1.geojson",
        ["--focus", "CAF", "--from", "2014-01-01"],
    ),
    "UCDP GED (ged_syria 19.1), Syria 2016-2019": (
        "knapply/data4ds4da",
        "data/ucdp_syria_df.rda",
        "a1a309a04617b235b59f4d90c92313d0237b6ea5",
        "ged_syria.csv",
        ["--focus", "SYR"],
    ),
    "UCDP GED 23.1, Mexico": (
        "netify-dev/netify",
        "data/mexico.rda",
        "d0dceb6a666e013651d017c5f6a55a51fee7bff2",
        "ged_mexico.csv",
        ["--focus", "MEX", "--from", "2000-01-01"],
    ),
    "UCDP GED 23.1, Myanmar": (
        "netify-dev/netify",
        "data/myanmar.rda",
        "d0dceb6a666e013651d017c5f6a55a51fee7bff2",
        "ged_myanmar.csv",
        ["--focus", "MMR", "--from", "2000-01-01"],
    ),
    "ACLED South and Southeast Asia 2015 (all segments)": (
        "katehara/ACLED---Data-Mining",
        "acled.csv",
        "6167f4fb362dc0b92c8b7aec797f52ca2fcb2dc5",
        "katehara_acled.csv",
        [],
    ),
    "ACLED Kenya 2004-2019": (
        "Carol0128/Data",
        "acled_data.csv",
        "b4e90d8793195a97037a3435614668f406cf2c19",
        "Carol0128_acled_data.csv",
        ["--focus", "KEN"],
    ),
    "ACLED Burkina Faso 1997-2020": (
        "ElliottMess/WSC_bfa_analysis",
        "data/acled_Burkina_Faso.csv",
        "7212ada0b738251a635772c3f8e0850cd481109d",
        "WSC_bfa_acled_Burkina_Faso.csv",
        ["--focus", "BFA"],
    ),
    "ACLED Bangladesh 2022-2024": (
        "zachessesjohnson/Protest-Diffusion",
        "acled_data.csv",
        "979d258bcbf2cd951c5b40f417cb36212241d562",
        "ProtestDiffusion_acled_data.csv",
        ["--focus", "BGD"],
    ),
    "ACLED Ethiopia 1997-2020": (
        "SomaliConflictAnalysis/HOA-DataVisualization",
        "Data/Ethiopia.csv",
        "22479ca336e4e12927aa4ad086314598cd290ea7",
        "HOA_acled_Ethiopia.csv",
        ["--focus", "ETH"],
    ),
    "UCDP GED (HDX), Colombia 1989-2018": (
        "kruedae/Colombia_Events_in_Armed_conflict",
        "conflict_data_col.csv",
        "bb5ddadeaad230f35cfeb690fcf3f338a92882e6",
        "kruedae_ucdp_ged_colombia_hdx.csv",
        ["--focus", "COL"],
    ),
    "UCDP GED 22.1 (HDX), Pakistan 1989-2021": (
        "Danishshh/Crime-Analysis-and-prediction-on-Pakistan-data",
        "conflict_data_pak.csv",
        "8d3a7c014af606518032ac3dc2618c113799a671",
        "danishshh_ucdp_ged_pakistan_hdx.csv",
        ["--focus", "PAK"],
    ),
    "UCDP GED 22.1 (HDX), Ukraine 2014-2021": (
        "thesurojit/Ukraine-Russia_Conflict",
        "conflict_data_ukr.csv",
        "0b2962a0fd94af34b54ea7b3e0d6a28f5f727987",
        "thesurojit_ucdp_ged_ukraine_hdx.csv",
        ["--focus", "UKR"],
    ),
    "ACLED Mali 2017-2019": (
        "AC0519/Mali",
        "2017-01-01-2019-02-27-Mali.csv",
        "70b651e712efe00e740ab3fbad061fd678c25aa0",
        "AC0519_acled_Mali_2017_2019.csv",
        ["--focus", "MLI"],
    ),
    "ACLED (HDX) Niger 1997-2020": (
        "alegalli/conflictSahel",
        "data/Conflict Data/conflict_data_ner.csv",
        "0e110f0a2f36e66c5498a5671d2e987189074e19",
        "alegalli_acled_hdx_ner.csv",
        ["--focus", "NER"],
    ),
    "ACLED (HDX) Mali 1997-2020": (
        "alegalli/conflictSahel",
        "data/Conflict Data/conflict_data_mli.csv",
        "0e110f0a2f36e66c5498a5671d2e987189074e19",
        "alegalli_acled_hdx_mli.csv",
        ["--focus", "MLI"],
    ),
    "ACLED (HDX) Armenia 2018-2020": (
        "Jole34/mongo-repo",
        "files/conflict_data_arm.csv",
        "bdb847792cba40216dfb1a37ec5cde3edec1dd72",
        "jole34_acled_hdx_armenia.csv",
        ["--focus", "ARM"],
    ),
    "UCDP GED (HDX), Iraq 1989-2018": (
        "mcdimant/refugee_predictive_model",
        "data/conflict_data_irq.csv",
        "01a04033fee3bb4bac708a1a049401bea5d665e1",
        "mcdimant_ucdp_ged_iraq_hdx.csv",
        ["--focus", "IRQ"],
    ),
    # Found after the model's design was set, and first run on it as it stands: a blind set.
    "ACLED Ghana 1997-2021 (semicolon-separated export)": (
        "AbdelTID/Armed-Conflict-Event",
        "data/1980-11-04-2021-11-13-Ghana.csv",
        "dc0fc7cdc662170e8ab72ef2c8af1d47de26f031",
        "AbdelTID_acled_Ghana_1997_2021.csv",
        ["--focus", "GHA"],
    ),
    "ACLED Zimbabwe 2005-2021 (16 columns)": (
        "gmusebe/ACLED-Spatial-Analysis-with-R-",
        "data/2005-01-01-2021-07-01-Zimbabwe.csv",
        "3641737be25f23e19ad1eb094f1fec193f194c4e",
        "gmusebe_acled_Zimbabwe_2005_2021.csv",
        ["--focus", "ZWE"],
    ),
    "UCDP GED (HDX), South Sudan 2011-2021": (
        "maxmurphy2/gov50-final-project",
        "data/conflict_data_ssd.csv",
        "424c0667ff004bdd3f5b3b15a03555dca4abd08f",
        "maxmurphy2_conflict_data_ssd.csv",
        ["--focus", "SSD"],
    ),
    "ACLED South Sudan 2011-2018": (
        "amberthomas/famine-intensity-prediction",
        "acled_visualization/01-2010-10-2018-southsudan.csv",
        "ca47e4ade03688b77e629ef8485616d47393e989",
        "amberthomas_acled_SouthSudan_2011_2018.csv",
        ["--focus", "SSD"],
    ),
    "ACLED (HDX) Angola 1997-2020": (
        "monmon1994/Election_Violence_Africa",
        "data/conflict_data_ago.csv",
        "1d3d0be113199d37d3efa9717df02753481ce3f6",
        "monmon1994_conflict_data_ago.csv",
        ["--focus", "AGO"],
    ),
    "ACLED (HDX) Mozambique 1997-2020": (
        "monmon1994/Election_Violence_Africa",
        "data/conflict_data_moz.csv",
        "1d3d0be113199d37d3efa9717df02753481ce3f6",
        "monmon1994_conflict_data_moz.csv",
        ["--focus", "MOZ"],
    ),
    "ACLED (HDX) Tanzania 1997-2020": (
        "monmon1994/Election_Violence_Africa",
        "data/conflict_data_tza.csv",
        "1d3d0be113199d37d3efa9717df02753481ce3f6",
        "monmon1994_conflict_data_tza.csv",
        ["--focus", "TZA"],
    ),
    "ACLED (HDX) Uganda 1997-2020": (
        "monmon1994/Election_Violence_Africa",
        "data/conflict_data_uga.csv",
        "1d3d0be113199d37d3efa9717df02753481ce3f6",
        "monmon1994_conflict_data_uga.csv",
        ["--focus", "UGA"],
    ),
    "ACLED (HDX) Zambia 1997-2020": (
        "monmon1994/Election_Violence_Africa",
        "data/conflict_data_zmb.csv",
        "1d3d0be113199d37d3efa9717df02753481ce3f6",
        "monmon1994_conflict_data_zmb.csv",
        ["--focus", "ZMB"],
    ),
    "ACLED Thailand 2010-2019 (with Indonesia, Laos)": (
        "nickbichay/Networks",
        "Mini Project 1/2010-01-01-2019-01-23-Indonesia-Laos-Thailand.csv",
        "a3a0f565e1b19479330729a4fbca696b3c700adb",
        "nickbichay_acled_Indonesia_Laos_Thailand_2010_2019.csv",
        ["--focus", "THA"],
    ),
}
MODELS = ("learned", "score", "persistence", "history", "random")


def report(folder: Path, file: str, arguments: list[str]) -> dict:
    command = [sys.executable, "-m", "borderrisk.cli", "backtest", "--events", str(folder / file)]
    command += [*arguments, "--every", "month", "--model", "learned", "--json"]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def row(name: str, source: tuple, r: dict) -> str:
    repo, path, commit, _, _ = source
    m, onset, skill = r["metrics"], r["onset"], r["skill"]
    baselines = [b for b in ("persistence", "history") if m[b]["aupr"] is not None and m[b]["brier"] is not None]
    judged = bool(baselines) and m["learned"]["aupr"] is not None and m["learned"]["brier"] is not None
    beats = judged and (
        m["learned"]["aupr"] > max(m[b]["aupr"] for b in baselines)
        and m["learned"]["brier"] < min(m[b]["brier"] for b in baselines)
    )
    verdict = ("**yes**" if beats else "no") if judged else f"no figure: {m['learned'].get('note')}"
    gain = f"{skill['aupr_gain']:+.4f}" if skill["aupr_gain"] is not None else None
    cells = [
        f"{name}<br>`{repo}` `{path}` `{commit[:10]}`",
        f"{r['origins']} × {r['segments']}",
        str(r["positives"]),
        *(f"{m[k]['aupr']} / {m[k]['brier']}" for k in MODELS),
        f"{skill['over']}: {gain} / {skill['brier_skill']}",
        f"{onset['learned']['positives']}: "
        + ", ".join(f"{k} {onset[k]['aupr']}" for k in ("learned", "score", "history")),
        verdict,
    ]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json-dir", type=Path, help="write each report here too")
    options = parser.parse_args()
    print(
        "| data (repository, path, commit) | origins × segments | positives | AUPR / Brier: "
        + " | ".join(MODELS)
        + " | skill over the better baseline (AUPR gain / Brier skill) | onset positives: AUPR | beats both |"
    )
    print("|" + "---|" * (len(MODELS) + 6))
    for name, source in DATASETS.items():
        r = report(options.folder, source[3], source[4])
        if options.json_dir:
            (options.json_dir / f"{source[3]}.json").write_text(json.dumps(r), encoding="utf-8")
        print(row(name, source, r), flush=True)


if __name__ == "__main__":
    main()
