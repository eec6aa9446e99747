"""Fuzzing every reader through the command line: random bytes, valid files with bytes flipped,
and well-typed rows with wrong values, for events (CSV, GeoJSON, GeoPackage, GeoParquet),
agreements, alliances, ``--layer frame=``, recipes, risk configs and ``annotate import``; and
hostile exports (ACLED, GTD, UCDP as CSV, JSON, gzip, zip and workbooks, cut short or not),
``diff`` inputs and annotation stores, each run in a child process under memory and CPU limits
(:mod:`limits`), so a reader that takes unbounded memory or time is caught here.

The property: a command accepts a file exactly when the library reads it; otherwise it exits 1
or 2 with each error line naming the file, without a traceback, and writes nothing.

The suite runs a few examples per reader; a long run sets ``BORDERRISK_FUZZ_EXAMPLES`` (e.g.
500) and, for reproducibility across runs, ``--hypothesis-seed``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderrisk.cli.main import cli

EXAMPLES = int(os.environ.get("BORDERRISK_FUZZ_EXAMPLES", "4"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="BORDERRISK_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Cells that are wrong for the field they are put in (and a few that are merely odd).
BAD_CELLS = {
    "date": ["2023-13-01", "2023-02-30", "tomorrow", "9999-01-01", "0001", "20230716", "nan", "2023-07-16T25:00"],
    "end_date": ["1900-01-01", "someday"],
    "title": ["", "   "],
    "type": ["", " "],
    "lat": ["91", "-90.5", "nan", "inf", "1e309", "north", "0x10"],
    "lon": ["181", "-inf", "NaN", "west", "1,5"],
    "place": ["Atlantis", "", "Nowhere, XX"],
    "severity": ["0", "6", "2.5", "nan", "inf", "high"],
    "country": ["Atlantis", "XX", "999"],
    "confidence": ["certain", "0"],
    "parties": ["BOL", "BOL;BOL", "BOL;Atlantis", ";"],
    "status": ["maybe", "", "signed?"],
    "alliance": ["", "  "],
    "since": ["yesterday", "2023-00"],
}
ODD_CELLS = ["", " ", "NA", "null", "0", "-0", "1e-300", "\u202e", "<b>x</b>", '"', "a\nb", "é", "\x00"]
cell = st.one_of(
    st.sampled_from(ODD_CELLS),
    st.text(max_size=12),
    st.integers(-(10**20), 10**20).map(str),
    st.floats().map(repr),
)


def header_variant(name: str) -> st.SearchStrategy[str]:
    """The same column as people write it: any case, spaces around."""
    return st.tuples(st.sampled_from(["", " "]), st.sampled_from([name, name.upper(), name.title()])).map(
        lambda t: f"{t[0]}{t[1]}{t[0]}"
    )


@st.composite
def wrong_rows(draw, columns: list[str]) -> tuple[list[str], list[list[str]]]:
    """A header with the given columns (as people write them, maybe with extra ones) and rows
    of which at least one has a wrong value."""
    extra = draw(st.lists(st.text("abcdefgxyz_ ", min_size=1, max_size=8), max_size=2))
    names = [draw(header_variant(c)) for c in columns] + extra
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        rows.append([draw(cell) for _ in names])
    wrong = draw(st.sampled_from([c for c in columns if c in BAD_CELLS]))
    rows[draw(st.integers(0, len(rows) - 1))][columns.index(wrong)] = draw(st.sampled_from(BAD_CELLS[wrong]))
    return names, rows


def as_csv(table: tuple[list[str], list[list[str]]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(table[0])
    writer.writerows(table[1])
    return text.getvalue().encode("utf-8", "surrogatepass")


def as_geojson(table: tuple[list[str], list[list[str]]]) -> bytes:
    names, rows = table
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-65.6, -22.1]},
            "properties": dict(zip(names, r)),
        }
        for r in rows
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def as_gis(suffix: str) -> Callable[[tuple[list[str], list[list[str]]]], bytes]:
    def write(table: tuple[list[str], list[list[str]]]) -> bytes:
        import geopandas as gpd
        import shapely

        names, rows = table
        # GeoPackage (SQLite) and GeoParquet keep one column per name, whatever its case.
        kept = {}
        for index, name in enumerate(names):
            if name.strip() and name.strip().casefold() not in {k.casefold() for k in kept}:
                kept[name.strip()] = index
        data = {name: [row[index] for row in rows] for name, index in kept.items()}
        frame = gpd.GeoDataFrame(data, geometry=[shapely.Point(-65.6, -22.1)] * len(rows), crs="EPSG:4326")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"x{suffix}"
            frame.to_parquet(path) if suffix == ".parquet" else frame.to_file(path)
            return path.read_bytes()

    return write


def flipped(base: bytes) -> st.SearchStrategy[bytes]:
    """A valid file with a few bytes changed, cut or repeated."""

    @st.composite
    def mutate(draw) -> bytes:
        data = bytearray(base)
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, max(len(data) - 1, 0)))
            how = draw(st.sampled_from(["set", "cut", "repeat"]))
            if how == "set" and data:
                data[at] = draw(st.integers(0, 255))
            elif how == "cut":
                del data[at : at + draw(st.integers(1, 64))]
            else:
                data[at:at] = data[at : at + draw(st.integers(1, 64))]
        return bytes(data)

    return mutate()


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(repr(value), repr(value))
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value)


def as_toml(tables: dict) -> bytes:
    lines = [f"{key} = {toml_value(v)}" for key, v in tables.items() if not isinstance(v, dict)]
    for name, table in tables.items():
        if isinstance(table, dict):
            lines.append(f"[{name}]")
            lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in table.items()]
    return ("\n".join(lines) + "\n").encode()


toml_scalar = st.one_of(
    st.booleans(), st.integers(-(10**6), 10**6), st.floats(), st.text(max_size=10), st.lists(st.integers(), max_size=2)
)
wrong_config = st.fixed_dictionaries(
    {},
    optional={
        "segments": st.fixed_dictionaries({"length_km": toml_scalar}),
        "watchlist": st.fixed_dictionaries({}, optional={"countries": toml_scalar, "actors": toml_scalar}),
        "events": st.fixed_dictionaries(
            {},
            optional={k: toml_scalar for k in ("weight", "distance_km", "distance_decay", "half_life_days")},
        ),
        "agreements": st.fixed_dictionaries({}, optional={"weight": toml_scalar, "keywords": toml_scalar}),
        "alliances": st.fixed_dictionaries({}, optional={"watched": toml_scalar}),
        "nonsense": st.fixed_dictionaries({"x": toml_scalar}),
    },
).filter(bool)
wrong_recipe = st.fixed_dictionaries(
    {"outputs": st.sampled_from(["out.html", ["out.html"], 5, ["a.jpg"], [""], "ev.csv", ["out.html", "out.html"]])},
    optional={
        "title": toml_scalar,
        "focus": st.one_of(toml_scalar, st.sampled_from(["ARG,BOL", "Atlantis", ["ARG", 1]])),
        "events": st.sampled_from(["missing.csv", ".", ["ev.csv", 3], "/dev/zero"]),
        "events_format": toml_scalar,
        "aggregate_above": toml_scalar,
        "image": st.fixed_dictionaries({}, optional={"width": toml_scalar, "dpi": toml_scalar}),
    },
)


@st.composite
def wrong_features(draw) -> bytes:
    coordinate = st.one_of(
        st.floats(), st.integers(-1000, 1000), st.text(max_size=3), st.none(), st.lists(st.floats(), max_size=3)
    )
    geometry = st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {
                "type": st.sampled_from(["Point", "LineString", "Polygon", "MultiPoint", "Circle", ""]),
                "coordinates": st.one_of(
                    coordinate, st.lists(coordinate, max_size=4), st.lists(st.lists(coordinate, max_size=4), max_size=3)
                ),
            }
        ),
    )
    scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8))
    feature = st.fixed_dictionaries(
        {"type": st.sampled_from(["Feature", "Feature", "feature", 1])},
        optional={
            "id": st.one_of(scalar, st.dictionaries(st.text(max_size=2), scalar, max_size=2)),
            "geometry": geometry,
            "properties": st.one_of(
                st.none(),
                scalar,
                st.fixed_dictionaries(
                    {}, optional={k: scalar for k in ("title", "severity", "risk_adjustment", "reason", "note")}
                ),
            ),
        },
    )
    data = {"type": draw(st.sampled_from(["FeatureCollection", "FeatureCollection", "Feature"]))}
    data["features"] = draw(st.one_of(st.lists(feature, max_size=4), scalar))
    return json.dumps(data, allow_nan=True).encode()


VALID_EVENTS = b"date,title,type,lat,lon\n2023-07-16,Patrol sighted,statement,-22.1,-65.6\n"
VALID_AGREEMENTS = b"parties,date,type,status\nBOL;IRN,2023-07-20,defence MoU,signed\n"
VALID_ALLIANCES = b"alliance,country\nALBA-TCP,BOL\n"
VALID_FEATURES = (
    b'{"type":"FeatureCollection","features":[{"type":"Feature",'
    b'"geometry":{"type":"Point","coordinates":[-65.6,-22.1]},"properties":{"title":"x"}}]}'
)
EVENT_COLUMNS = ["date", "title", "type", "lat", "lon", "severity", "place"]


@dataclass(frozen=True)
class Reader:
    """How one reader is run from the command line, and read by the library."""

    suffix: str
    command: Callable[[str], list[str]]
    library: Callable[[str], object]


def _layer(kind: str):
    def read(path: str):
        from borderrisk.layers.registry import layer_type

        return layer_type(kind).read(path)

    return read


def _events(path: str):
    from borderrisk.layers.events import EventsLayer

    return EventsLayer.read(path)


def _frame(path: str):
    from borderrisk.layers.frame import FrameLayer

    return FrameLayer.read(path)


def _recipe(path: str, deep: bool):
    from borderrisk.recipes import build, load_recipe

    recipe = load_recipe(path)
    recipe.outputs = recipe.outputs or [Path("map.html")]
    recipe.check(path)
    if deep:  # the command failed: did it fail building the map (e.g. an unknown focus)?
        build(recipe)


def _config(path: str):
    from borderrisk.risk.config import RiskConfig

    RiskConfig.load(path)


def _import(path: str):
    from borderrisk.annotations.store import parse_collection
    from borderrisk.data.paths import read_input_text

    return parse_collection(read_input_text(path), path)


READERS = {
    "events.csv": Reader(".csv", lambda f: ["convert", "--events", f, "-o", "out"], _events),
    "events.geojson": Reader(".geojson", lambda f: ["convert", "--events", f, "-o", "out"], _events),
    "events.gpkg": Reader(".gpkg", lambda f: ["convert", "--events", f, "-o", "out"], _events),
    "events.parquet": Reader(".parquet", lambda f: ["convert", "--events", f, "-o", "out"], _events),
    "agreements": Reader(".csv", lambda f: ["score", "--agreements", f, "--focus", "ARG,BOL"], _layer("agreements")),
    "alliances": Reader(".csv", lambda f: ["score", "--alliances", f, "--focus", "ARG,BOL"], _layer("alliances")),
    "frame": Reader(
        ".geojson", lambda f: ["map", "--events", "ev.csv", "--layer", f"frame={f}", "-o", "out.html"], _frame
    ),
    "recipe": Reader(".toml", lambda f: ["map", f], _recipe),
    "config": Reader(".toml", lambda f: ["score", "--events", "ev.csv", "--focus", "ARG,BOL", "--config", f], _config),
    "import": Reader(".geojson", lambda f: ["annotate", "import", f, "--store", "store.geojson"], _import),
}


def check(reader: Reader, content: bytes) -> None:
    """Run the command on ``content`` in a fresh folder and check the property."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        folder = Path(folder)
        (folder / "ev.csv").write_bytes(VALID_EVENTS)
        store = folder / "store.geojson"
        store.write_bytes(VALID_FEATURES)
        target = folder / f"input{reader.suffix}"
        target.write_bytes(content)
        before = sorted(p.name for p in folder.iterdir())
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            result = CliRunner().invoke(cli, reader.command(target.name))
            accepted = _accepts(reader, target.name, deep=result.exit_code != 0)
        finally:
            os.chdir(cwd)
        output = result.output
        assert "Traceback" not in output and "internal error" not in output, output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        if result.exit_code == 0:
            assert accepted is None, f"the command accepted what the library refuses: {accepted}"
            return
        assert result.exit_code in (1, 2), output
        assert accepted is not None, "the command refused what the library reads"
        errors = output[output.index("Error:") :].splitlines()
        assert errors, output
        # One problem is one line; a listing is one indented line per problem (then maybe advice).
        problem_lines = (
            [e for e in errors[1:] if e.startswith("  ")] if "problems in input" in errors[0] else errors[:1]
        )
        named = [target.name, *_paths_in(content)] if reader.library is _recipe else [target.name]
        for line in problem_lines:
            assert any(name in line for name in named), output
        assert sorted(p.name for p in folder.iterdir()) == before, "a failed command wrote something"
        assert store.read_bytes() == VALID_FEATURES


def _paths_in(recipe: bytes) -> list[str]:
    """The file names a recipe lists: errors about those files name them, not the recipe."""
    from borderrisk.data.toml import TomlError, loads_toml

    try:
        data = loads_toml(recipe.decode("utf-8"), "recipe")
    except (UnicodeDecodeError, TomlError):
        return []
    values = [v for v in data.values() if isinstance(v, (str, list))]
    return [v for value in values for v in ([value] if isinstance(value, str) else value) if isinstance(v, str) and v]


def _accepts(reader: Reader, name: str, deep: bool) -> Exception | None:
    """None when the library reads the file, else why not (``deep``: also what is built of it)."""
    from borderrisk.data.errors import UserError

    try:
        if reader.library is _recipe:
            _recipe(name, deep)
        else:
            reader.library(name)
    except UserError as error:
        return error
    return None


def tables_for(name: str) -> st.SearchStrategy[bytes]:
    columns = {
        "agreements": ["parties", "date", "type", "status"],
        "alliances": ["alliance", "country", "since"],
    }.get(name, EVENT_COLUMNS)
    writer = {
        "events.geojson": as_geojson,
        "events.gpkg": as_gis(".gpkg"),
        "events.parquet": as_gis(".parquet"),
    }.get(name, as_csv)
    return wrong_rows(columns).map(writer)


VALID = {
    "events.csv": VALID_EVENTS,
    "agreements": VALID_AGREEMENTS,
    "alliances": VALID_ALLIANCES,
    "events.geojson": VALID_FEATURES,
    "frame": VALID_FEATURES,
    "import": VALID_FEATURES,
    "recipe": b'title = "Brief"\nevents = "ev.csv"\nrisk = false\ndraw = false\noutputs = ["out.html"]\n',
    "config": b'[events]\nweight = 1.0\n[watchlist]\ncountries = ["IRN"]\n',
}


def contents_for(name: str) -> st.SearchStrategy[bytes]:
    strategies = [st.binary(max_size=600)]
    if name in VALID:
        strategies.append(flipped(VALID[name]))
    if name.startswith(("events", "agreements", "alliances")):
        strategies.append(tables_for(name))
    if name == "config":
        strategies.append(wrong_config.map(as_toml))
    if name == "recipe":
        strategies.append(wrong_recipe.map(as_toml))
    if name in ("import", "frame"):
        strategies.append(wrong_features())
    return st.one_of(strategies)


@pytest.mark.parametrize("name", list(READERS))
@fuzz
@given(data=st.data())
def test_every_reader_fails_cleanly_or_reads(name, data):
    check(READERS[name], data.draw(contents_for(name), label=name))


# Hostile exports, diff inputs and stores, under memory and CPU limits ------------------------------

#: Cells an attacker puts in an export: out-of-range dates and counts, surrogates, terminal
#: escapes, markup, very long text.
HOSTILE_CELLS = [
    "0001-01-01", "9999-12-31", "-5", "1600", "1e308", "-98", "many", "2.5", "inf", "nan", "NaN", "-0",
    "\x1b]0;owned\x07", "\u202eevil", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    "x" * 5000, "", " ", "NA", "null", "\x00", "1,5", "-22,09",
]  # fmt: skip
hostile_cell = st.one_of(st.sampled_from(HOSTILE_CELLS), st.text(max_size=12))


def _hostile_rows(draw, columns: list[str], row) -> list[dict]:
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        values = dict(row())
        for column in draw(st.lists(st.sampled_from(columns), min_size=1, max_size=4)):
            values[column] = draw(hostile_cell)
        rows.append(values)
    return rows


@st.composite
def hostile_export(draw) -> tuple[str, bytes]:
    """An export (ACLED, GTD or UCDP) with hostile cells, saved as CSV, JSON, gzip, zip or a
    workbook, maybe cut short: ``(file name, bytes)``."""
    import gzip
    import zipfile

    from exports import ACLED_COLUMNS, GTD_COLUMNS, UCDP_COLUMNS, acled_row, gtd_row, table, ucdp_row

    kind = draw(st.sampled_from(["acled", "gtd", "ucdp"]))
    columns, row = {
        "acled": (ACLED_COLUMNS, acled_row),
        "gtd": (GTD_COLUMNS, gtd_row),
        "ucdp": (UCDP_COLUMNS, ucdp_row),
    }[kind]
    rows = _hostile_rows(draw, columns, row)
    text = table(columns, rows)
    form = draw(st.sampled_from(["csv", "json", "gz", "zip", "xlsx"] if kind == "acled" else ["csv", "gz", "zip"]))
    if form == "json":
        data, name = json.dumps({"data": rows}).encode(), "export.json"
    elif form == "xlsx":
        import openpyxl
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        book = openpyxl.Workbook()
        book.active.append(columns)
        for values in rows:  # a workbook cannot hold control characters
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", str(values.get(c, ""))) for c in columns])
        buffer = io.BytesIO()
        book.save(buffer)
        data, name = buffer.getvalue(), "export.xlsx"
    else:
        data, name = text.encode("utf-8", "surrogatepass"), "export.csv"
        if form == "gz":
            data, name = gzip.compress(data), "export.csv.gz"
        elif form == "zip":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("export.csv", data)
            data, name = buffer.getvalue(), "export.zip"
    if draw(st.booleans()):  # an interrupted download
        data = data[: draw(st.integers(1, max(1, len(data) - 1)))]
    return name, data


@st.composite
def hostile_scores(draw) -> bytes:
    """A ``diff`` input: a score output with hostile explanations, or JSON nested deep."""
    if draw(st.booleans()):
        depth = draw(st.integers(60, 5000))
        return ("[" * depth + "]" * depth).encode()
    rows = [
        {
            "a": "ARG",
            "b": "BOL",
            "segment": i,
            "start_km": 50.0 * i,
            "end_km": 50.0 * i + 50,
            "score": draw(st.floats(0, 10)),
            "factors": [{"name": "events", "contribution": 1.0, "explanation": draw(hostile_cell)}],
        }
        for i in range(draw(st.integers(1, 3)))
    ]
    return json.dumps(rows).encode("utf-8", "surrogatepass")


def check_bounded(args: list[str], named: str, folder: Path) -> None:
    """The command ran within the limits and either worked or failed with a message naming
    ``named``; never an internal error, never stopped by the kernel."""
    from limits import bounded

    cwd = os.getcwd()
    os.chdir(folder)
    try:
        done = bounded(*args, cpu_seconds=120)
    finally:
        os.chdir(cwd)
    assert done.returncode in (0, 1, 2), (done.returncode, done.stderr[-2000:])
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr, done.stderr[-2000:]
    if done.returncode:
        assert named in done.stderr, done.stderr[-2000:]
    for escape in ("\x1b", "\x07", "\u202e"):
        assert escape not in done.stdout + done.stderr, "a terminal escape was printed raw"


@pytest.mark.slow
@fuzz
@given(export=hostile_export())
def test_every_export_reader_fails_cleanly_within_limits(export):
    name, data = export
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        (Path(folder) / name).write_bytes(data)
        check_bounded(["score", "--events", name, "--focus", "ARG,BOL", "--json"], name, Path(folder))


@pytest.mark.slow
@fuzz
@given(new=hostile_scores())
def test_diff_fails_cleanly_within_limits(new):
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        old = [{"a": "ARG", "b": "BOL", "segment": 0, "start_km": 0.0, "end_km": 50.0, "score": 0.0}]
        (Path(folder) / "old.json").write_text(json.dumps(old))
        (Path(folder) / "new.json").write_bytes(new)
        check_bounded(["diff", "old.json", "new.json"], "new.json", Path(folder))


@pytest.mark.slow
@fuzz
@given(store=st.one_of(wrong_features(), flipped(VALID_FEATURES)))
def test_annotation_commands_on_a_hostile_store_fail_cleanly_within_limits(store):
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        (Path(folder) / "store.geojson").write_bytes(store)
        check_bounded(
            ["map", "--focus", "ARG,BOL", "--annotations", "store.geojson", "-o", "m.html"],
            "store.geojson",
            Path(folder),
        )
