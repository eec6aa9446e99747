"""A griffe extension: read setup.cfg's ``package_dir`` so the API reference finds
``borderrisk.geo`` and ``borderrisk.layers``, which live in ``geo/`` and ``layers/`` at the top
of the repository rather than inside ``borderrisk/``. Griffe finds modules by their place on
disk and knows no ``package_dir``; setup.cfg stays the one place that says where they are."""

from __future__ import annotations

import configparser
from pathlib import Path
from typing import Any

import griffe

ROOT = Path(__file__).resolve().parents[2]


def package_dirs() -> dict[str, Path]:
    """Dotted package name -> folder, for the packages that do not sit under their parent."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    pairs = (line.split("=") for line in config["options"]["package_dir"].strip().splitlines())
    return {name.strip(): ROOT / folder.strip() for name, folder in pairs if "." in name}


class PackageDir(griffe.Extension):
    """Loads each remapped folder as the submodule setup.cfg installs it as.

    ``GriffeLoader._load_module`` is the one loader call that takes a name and a parent; the
    public ``load`` would name the folder after itself (``layers``). If griffe changes it, the
    strict build in tests/test_docs.py fails on the first API entry it can no longer find."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        for dotted, folder in package_dirs().items():
            parent, _, name = dotted.rpartition(".")
            if parent == pkg.path:
                module = loader._load_module(name, folder / "__init__.py", parent=pkg)
                pkg.set_member(name, module)
