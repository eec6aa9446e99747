"""Where things are: countries, borders, places and geodesy. Pure geography, no maps."""
