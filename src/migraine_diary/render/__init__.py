"""Text for people: the only importers of rich, jinja2 and matplotlib."""
