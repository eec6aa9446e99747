"""Options and argument types shared by several commands, each defined once."""

from __future__ import annotations

import click

from borderrisk.risk import MODELS


class CountryType(click.ParamType):
    """A country by name, alias, ISO alpha-3, alpha-2 or numeric code; converts to its code."""

    name = "COUNTRY"

    def convert(self, value, param, ctx):
        from borderrisk.geo.countries import resolve
        from borderrisk.geo.errors import UnknownCountryError

        try:
            return resolve(value).code
        except UnknownCountryError as error:
            self.fail(str(error), param, ctx)


COUNTRY = CountryType()


class FiniteFloat(click.FloatRange):
    """A number that is finite (the rule of :mod:`borderrisk.data.finite`: no ``nan``, no
    ``inf``), optionally within a range, e.g. ``FiniteFloat(-90, 90)``."""

    name = "number"

    def convert(self, value, param, ctx):
        from borderrisk.data.finite import finite_number

        try:
            finite_number(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)
        return super().convert(value, param, ctx)


class TextType(click.types.StringParamType):
    """Text for the output (a title, a note): bytes that are not UTF-8 reach Python as lone
    surrogates, which no file can hold; they are replaced by U+FFFD here, never a crash later."""

    name = "text"

    def convert(self, value, param, ctx):
        from borderrisk.data.documents import clean_text

        return clean_text(super().convert(value, param, ctx))


TEXT = TextType()

json_output = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
geojson_output = click.option(
    "--geojson", "as_geojson", is_flag=True, help="Print a GeoJSON FeatureCollection (pipes into GIS tools)."
)


class CountryListType(click.ParamType):
    """Comma-separated countries, e.g. ``ARG,BOL`` or ``Argentina,Bolivia``."""

    name = "COUNTRIES"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        return tuple(COUNTRY.convert(part.strip(), param, ctx) for part in value.split(",") if part.strip())


class DateType(click.ParamType):
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``. With ``end=True`` a month or year means its last
    day, so ``--until 2023`` includes all of 2023."""

    name = "DATE"

    def __init__(self, end: bool = False) -> None:
        self.end = end

    def convert(self, value, param, ctx):
        from datetime import date

        from borderrisk.data.schema import last_day, parse_date

        if isinstance(value, date):
            return value
        try:
            first, precision = parse_date(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)
        return last_day(first, precision) if self.end else first


class TilesType(click.ParamType):
    """An xyzservices tile provider name, e.g. ``CartoDB.Positron``."""

    name = "NAME"

    def convert(self, value, param, ctx):
        import xyzservices.providers as xyz

        try:
            xyz.query_name(value)
        except ValueError:
            self.fail(f"unknown tile provider {value!r}; try OpenStreetMap.Mapnik or Esri.WorldImagery", param, ctx)
        return value


class KmType(click.ParamType):
    """A distance in km: a finite number (``nan`` and ``inf`` are refused), positive or, with
    ``zero``, at least 0; a ``zone`` width at most :data:`borderrisk.geo.borders.ZONE_MAX_KM`; a
    ``segment`` length at least :data:`borderrisk.geo.borders.SEGMENT_MIN_KM`."""

    name = "KM"

    def __init__(self, zero: bool = False, zone: bool = False, segment: bool = False) -> None:
        self.zero, self.zone, self.segment = zero, zone, segment

    def convert(self, value, param, ctx):
        import math

        try:
            km = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of km", param, ctx)
        if not math.isfinite(km) or km < 0 or (km == 0 and not self.zero):
            self.fail(f"{value!r} is not a {'' if self.zero else 'positive '}finite number of km", param, ctx)
        if self.zone:
            from borderrisk.geo.borders import ZONE_MAX_KM

            if km > ZONE_MAX_KM:
                self.fail(f"a zone is at most {ZONE_MAX_KM:,} km wide, not {km:g}", param, ctx)
        if self.segment:
            from borderrisk.geo.borders import SEGMENT_MIN_KM

            if km < SEGMENT_MIN_KM:
                self.fail(f"a segment is at least {SEGMENT_MIN_KM:g} km long, not {km:g}", param, ctx)
        return km


KM = KmType()
KM_FROM_ZERO = KmType(zero=True)
ZONE_KM = KmType(zone=True)
SEGMENT_KM = KmType(segment=True)
COUNTRY_LIST = CountryListType()
TILES = TilesType()


class InputPathType(click.ParamType):
    """An input: a regular file (or, with ``folder``, a folder too), checked by the one input
    rule of :func:`borderrisk.data.paths.input_refusal`, so a FIFO, a device or a missing path is a
    usage error before any work."""

    name = "FILE"

    def __init__(self, folder: bool = False) -> None:
        self.folder = folder

    def convert(self, value, param, ctx):
        from borderrisk.data.paths import input_refusal

        refusal = input_refusal(value, folder=self.folder)
        if refusal:
            self.fail(f"{value!r}: {refusal}", param, ctx)
        return value


class OutputPathType(click.ParamType):
    """An output path as given; the checks that need every input and output at once are
    :func:`borderrisk.data.paths.check_outputs`. An empty path is refused here, where it is still
    visible (as a path it would mean the current folder)."""

    name = "FILE"

    def convert(self, value, param, ctx):
        if not str(value).strip():
            self.fail("an empty path names no file", param, ctx)
        return value


OUTPUT_PATH = OutputPathType()
INPUT_FILE = InputPathType()
INPUT_FILE_OR_FOLDER = InputPathType(folder=True)


#: What --format accepts (borderrisk.data.formats.FORMATS; kept here so --help imports nothing).
EVENT_FORMATS = ["auto", "borderrisk", "acled", "gdelt", "gtd", "ucdp"]


class EventsPathType(click.ParamType):
    """An events file, a folder of files, or a glob such as ``'exports/*.csv'`` (quoted, so
    the shell leaves it to borderrisk)."""

    name = "FILE"

    def convert(self, value, param, ctx):
        import glob
        from pathlib import Path

        if Path(value).exists():
            from borderrisk.data.paths import input_refusal

            refusal = input_refusal(value, folder=True)
            if refusal:
                self.fail(f"{value!r}: {refusal}", param, ctx)
            return str(value)
        if glob.glob(str(value)):
            return str(value)
        self.fail(f"{value!r}: no such file or folder, and no file matches it", param, ctx)


class ColumnsType(click.ParamType):
    """``date=event_date,lat=y,lon=x,type=kind,title=headline``: for each event column, the
    file's column that holds it."""

    name = "FIELD=COLUMN,..."

    def convert(self, value, param, ctx):
        if isinstance(value, dict):
            return value
        from borderrisk.data.formats.mapped import parse_columns

        try:
            return parse_columns(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


class EncodingType(click.ParamType):
    """A text encoding Python knows, e.g. ``cp1252`` or ``latin-1``."""

    name = "ENCODING"

    def convert(self, value, param, ctx):
        import codecs

        try:
            return codecs.lookup(value).name
        except LookupError:
            self.fail(f"unknown encoding {value!r}; try utf-8, cp1252 or latin-1", param, ctx)


class DateFormatType(click.ParamType):
    """``dmy``, ``mdy`` or a ``strptime`` form (:func:`borderrisk.data.formats.dates.check_date_format`)."""

    name = "FORMAT"

    def convert(self, value, param, ctx):
        from borderrisk.data.formats.dates import check_date_format

        try:
            return check_date_format(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


def input_files(command):
    """--events, --agreements, --alliances (each repeatable), and how to read events files
    (options named as :class:`borderrisk.data.formats.EventsInput` takes them: ``EventsInput.of``)."""
    options = [
        click.option(
            "--events",
            multiple=True,
            type=EventsPathType(),
            metavar="FILE",
            help="Events (repeatable): a file, a folder or a quoted glob ('exports/*.csv'). borderrisk "
            "CSV/GIS (date,title,type and lat,lon or place), ACLED, GDELT, GTD or UCDP exports as "
            "downloaded (zipped too), any CSV with --columns, or a GeoParquet dataset from convert.",
        ),
        click.option(
            "--format",
            "events_format",
            type=click.Choice(EVENT_FORMATS),
            default="auto",
            show_default=True,
            help="Format of the events files; auto tells them apart by their content.",
        ),
        click.option(
            "--columns",
            type=ColumnsType(),
            metavar="FIELD=COLUMN,...",
            help="Read any table by naming its columns, e.g. date=event_date,lat=y,lon=x,type=kind,title=headline.",
        ),
        click.option(
            "--encoding",
            type=EncodingType(),
            help="Text encoding of the events files (default: detected; UTF-8, else cp1252 or latin-1).",
        ),
        click.option(
            "--date-format",
            type=DateFormatType(),
            metavar="FORMAT",
            help="How the events' dates are written when their column alone cannot say: dmy (31/12/2019), "
            "mdy (12/31/2019) or a strptime form such as %d-%m-%y (default: inferred per column).",
        ),
        click.option(
            "--skip-bad-rows",
            is_flag=True,
            help="Leave out events rows without a usable date or location, and report how many, why and where.",
        ),
        click.option(
            "--root-events-only",
            is_flag=True,
            help="GDELT: keep only root events (IsRootEvent 1, the event of an article's lead paragraph).",
        ),
        click.option(
            "--once-per-source",
            is_flag=True,
            help="Count each source (GDELT's SOURCEURL) once per day: GDELT codes one story many times.",
        ),
        click.option(
            "--agreements",
            multiple=True,
            type=INPUT_FILE,
            metavar="FILE",
            help="Agreements file (repeatable): parties,date,type,status.",
        ),
        click.option(
            "--alliances",
            multiple=True,
            type=INPUT_FILE,
            metavar="FILE",
            help="Alliance memberships file (repeatable): alliance,country.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


class ViewType(click.ParamType):
    """What a map opens on: bounds ``W,S,E,N`` or a place; converts to bounds (see
    :func:`borderrisk.geo.extent.parse_view`)."""

    name = "VIEW"

    def convert(self, value, param, ctx):
        from borderrisk.geo.errors import GeoLookupError, GeoRequestError
        from borderrisk.geo.extent import parse_view

        if isinstance(value, tuple):
            return value
        try:
            return parse_view(value)
        except (GeoLookupError, GeoRequestError) as error:
            self.fail(str(error), param, ctx)


view_option = click.option(
    "--view",
    type=ViewType(),
    metavar="W,S,E,N|PLACE",
    help="What the map opens on, instead of the focus borders: bounds in degrees (west,south,east,north) "
    "or a place, a country or a town (e.g. 'Bolivia', 'La Quiaca').",
)
focus_option = click.option(
    "--focus",
    type=COUNTRY_LIST,
    metavar="A,B",
    help="Countries in focus: the map fits them, and the borders between them (one country: all its "
    "borders) are highlighted and scored.",
)
as_of_option = click.option(
    "--as-of",
    "as_of",
    type=DateType(end=True),
    metavar="DATE",
    help="The situation as known on DATE: later features are left out, and scores are taken that day "
    "(default: the latest date in the inputs).",
)


def time_options(command):
    """--as-of, --since, --until: which dated features count."""
    options = [
        as_of_option,
        click.option("--since", type=DateType(), metavar="DATE", help="Leave out features before DATE."),
        click.option("--until", type=DateType(end=True), metavar="DATE", help="Leave out features after DATE."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def lang_option(command):
    """--lang: the language of the map's own text."""
    from borderrisk.language import LANGUAGES

    return click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default="en",
        show_default=True,
        help="Language of borderrisk's own text (legend, controls, popups and their explanations, "
        "chart titles and axes, dates, numbers, country names); the data's text is shown as it is.",
    )(command)


annotations_option = click.option(
    "--annotations",
    type=INPUT_FILE,
    metavar="FILE",
    help="Briefers' annotations (GeoJSON); a risk_adjustment on one changes the score of the segments it touches.",
)
risk_config_option = click.option(
    "--config",
    "config_path",
    type=INPUT_FILE,
    metavar="FILE",
    help="Risk model settings (TOML) laid over the defaults; see --default-config.",
)


model_option = click.option(
    "--model",
    type=click.Choice(MODELS),
    default=None,
    help="formula: the transparent sum of named factors; learned: the probability of an event within reach "
    "in the next period, fitted on the events' own history (needs borderrisk[learn]). "
    "Default: [model] default of the risk config (formula).",
)


def _scheduler_needs_dask(ctx, param, value):
    if value and ctx.params.get("engine", "pandas") != "dask":
        raise click.UsageError("--scheduler goes with --engine dask", ctx)
    return value


def engine_options(command):
    """--engine and --scheduler: where events meet segments."""
    options = [
        click.option(
            "--engine",
            type=click.Choice(["pandas", "dask"]),
            default="pandas",
            show_default=True,
            is_eager=True,
            help="Where events meet segments: in memory, or on dask-geopandas (pip install borderrisk[scale]).",
        ),
        click.option(
            "--scheduler",
            metavar="ADDRESS",
            callback=_scheduler_needs_dask,
            help=(
                "With --engine dask: the dask scheduler to run on, e.g. tcp://10.0.0.5:8786 (started with "
                "`dask scheduler`, workers joining with `dask worker ADDRESS`). Default: $DASK_SCHEDULER_ADDRESS "
                "if set, as for any dask client, else a local cluster of one single-threaded worker per core."
            ),
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


class BorderType(click.ParamType):
    """A border as two countries: ``ARG-BOL``, ``ARG,BOL`` or ``Argentina,Bolivia``."""

    name = "A-B"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        from borderrisk.geo.countries import resolve
        from borderrisk.geo.errors import UnknownCountryError

        splits = (
            [value.split(",", 1)]
            if "," in value
            else [[value[:i], value[i + 1 :]] for i, char in enumerate(value) if char == "-"]
        )
        failures = []
        for left, right in splits:
            errors = []
            codes = []
            for part in (left, right):
                try:
                    codes.append(resolve(part.strip()).code)
                except UnknownCountryError as error:
                    errors.append(str(error))
            if not errors:
                return tuple(codes)
            failures.append(errors)
        # Of the ways to split the text, the one with the fewest unknown countries says best
        # what was meant, with the suggestions of each unknown part.
        why = "; ".join(min(failures, key=len)) if failures else "no '-' or ',' between two countries"
        self.fail(f"{value!r} is not a border of two countries, e.g. ARG-BOL: {why}", param, ctx)


BORDER = BorderType()

#: The annotation store that ``annotate`` changes; not ``--annotations``, which on map and score
#: names an input layer.
store_option = click.option(
    "--store",
    "annotations_path",
    type=click.Path(dir_okay=False),
    default="annotations.geojson",
    show_default=True,
    envvar=["BORDERRISK_STORE", "BORDERRISK_ANNOTATIONS"],
    metavar="FILE",
    help="The annotation store (GeoJSON) to change; also $BORDERRISK_STORE.",
)


class LayerFileType(click.ParamType):
    """``NAME=PATH``: a registered layer type and the file to read it from."""

    name = "NAME=PATH"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        name, _, path = value.partition("=")
        if not name or not path:
            self.fail(f"{value!r} is not NAME=PATH, e.g. patrols=patrols.geojson", param, ctx)
        from borderrisk.layers.registry import layer_types

        known = layer_types()
        if name not in known:
            self.fail(f"no layer type {name!r}; see `borderrisk layers` ({', '.join(known)})", param, ctx)
        if known[name].error:
            self.fail(f"layer type {name!r} is broken: {known[name].error}", param, ctx)
        if not known[name].readable:
            self.fail(f"layer type {name!r} cannot be read from a file", param, ctx)
        return name, INPUT_FILE.convert(path, param, ctx)


LAYER_FILE = LayerFileType()


class WhereType(click.ParamType):
    """One ``--where`` condition, ``FIELD OP VALUE`` (see :mod:`borderrisk.data.filters`)."""

    name = "CONDITION"

    def convert(self, value, param, ctx):
        from borderrisk.data.filters import Condition, FilterError, parse_condition

        if isinstance(value, Condition):
            return value
        try:
            return parse_condition(value)
        except FilterError as error:
            self.fail(str(error), param, ctx)


WHERE = WhereType()

where_option = click.option(
    "--where",
    "where",
    multiple=True,
    type=WHERE,
    metavar="CONDITION",
    help="Keep only the events that match, e.g. 'type=battles,explosions/remote violence', 'actor~IRGC', "
    "'country=BOL', 'severity>=3', 'fatalities>=1', 'source~Reuters', 'admin1=Tarija'. Repeat to AND; "
    "commas OR values; = whole value, ~ words, both ignore case and accents.",
)


csv_output = click.option("--csv", "as_csv", is_flag=True, help="Print CSV for spreadsheets.")


class WindowType(click.ParamType):
    """``DATE`` (the situation as of that day) or ``FROM..TO`` (the events of that window, as
    of its end): converts to ``(since, until)``; see :func:`borderrisk.data.filters.parse_window`."""

    name = "DATE|FROM..TO"

    def convert(self, value, param, ctx):
        from borderrisk.data.filters import parse_window

        if isinstance(value, tuple):
            return value
        try:
            return parse_window(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


compare_to_option = click.option(
    "--compare-to",
    type=WindowType(),
    metavar="DATE|FROM..TO",
    help="Also score as of DATE, or with the events of FROM..TO (e.g. 2023-01-01..2023-06-30), and add "
    "previous_score, change and the factor that moved most.",
)


#: Rows a table shows when ``--top`` is not given (files and JSON then hold every row).
TABLE_ROWS = 20

top_option = click.option(
    "--top",
    type=click.IntRange(min=1),
    metavar="N",
    help=f"Only the first N rows in --sort's order, in every output: table, JSON, GeoJSON and CSV. "
    f"Without it, the table shows {TABLE_ROWS} and the others every row.",
)


#: Sources ``borderrisk fetch`` knows (borderrisk.fetch.SOURCES; kept here so --help imports nothing).
FETCH_SOURCES = ["acled", "ucdp", "gdelt"]


def fetch_options(command):
    """--country, --since, --base-url, --release, -o: what ``borderrisk fetch`` asks a source
    for, and where it writes (named as :func:`borderrisk.fetch.fetch` takes them)."""
    options = [
        click.option(
            "--country",
            "countries",
            metavar="A,B",
            default="",
            help="Countries, as the source names them or as ISO codes (ACLED: 'Bolivia,Argentina'). "
            "Default: the countries of the dataset's first fetch (all, for a new one).",
        ),
        click.option(
            "--since",
            type=DateType(),
            metavar="DATE",
            help="The first day wanted (first fetch). Later fetches ask only for what is new.",
        ),
        click.option(
            "--base-url",
            metavar="URL",
            help="The source's address (a mirror, a proxy, a test server). Default: the source's own.",
        ),
        click.option(
            "--release",
            default="25.1",
            show_default=True,
            metavar="VERSION",
            help="UCDP GED release (e.g. 25.1, or a candidate release such as 25.0.10).",
        ),
        click.option(
            "-o",
            "--output",
            required=True,
            type=click.Path(file_okay=False, dir_okay=True),
            metavar="DIR",
            help="The events dataset to create, or to extend with what is new.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


share_option = click.option(
    "--share",
    is_flag=True,
    help="A map to give others: events only as counts in grid cells and the risk explained in counts, "
    "no event's own row (ACLED's and the GTD's terms forbid passing raw rows on).",
)
