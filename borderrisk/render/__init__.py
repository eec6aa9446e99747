"""Drawing: the offline folium map, its elements and assets, and PNG/PDF export. The only room
that imports folium, branca or jinja2."""
