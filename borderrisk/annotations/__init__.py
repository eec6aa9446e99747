"""The briefers' annotation store: notes on border regions in a GeoJSON file, locked, written
atomically, with the previous version kept for ``undo`` (see :mod:`borderrisk.annotations.store`)."""
