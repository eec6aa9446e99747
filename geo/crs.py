"""Coordinates as maps and GeoJSON want them: longitude/latitude on WGS84 (EPSG:4326)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd

WGS84 = "EPSG:4326"


def to_wgs84(frame: gpd.GeoDataFrame | gpd.GeoSeries) -> gpd.GeoDataFrame | gpd.GeoSeries:
    """The frame in EPSG:4326, reprojected if it has another CRS. A frame without a CRS is
    returned as it is: whether that means "already lon/lat" or "unusable" is the caller's call."""
    if frame.crs is None or frame.crs.equals(WGS84):
        return frame
    return frame.to_crs(WGS84)
