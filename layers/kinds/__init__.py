"""Layer kinds: the Layer contract and its typed spec, the registry, style, and one module per
kind. A layer is data first (a GeoDataFrame); nothing here imports folium."""
