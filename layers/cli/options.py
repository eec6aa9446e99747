"""Options and argument types shared by several commands, each defined once."""

from __future__ import annotations

import click


class CountryType(click.ParamType):
    """A country by name, alias, ISO alpha-3, alpha-2 or numeric code; converts to its code."""

    name = "COUNTRY"

    def convert(self, value, param, ctx):
        from geo.countries import resolve
        from geo.errors import UnknownCountryError

        try:
            return resolve(value).code
        except UnknownCountryError as error:
            self.fail(str(error), param, ctx)


COUNTRY = CountryType()

json_output = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
geojson_output = click.option(
    "--geojson", "as_geojson", is_flag=True, help="Print a GeoJSON FeatureCollection (pipes into GIS tools)."
)
