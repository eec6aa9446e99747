"""What happens along borders, and how it is drawn. Imports geo and folium, never click."""
