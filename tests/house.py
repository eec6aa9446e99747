"""Where the source of each installed package lives: one import name, ``borderrisk``, whose
``geo`` and ``layers`` packages sit in the card's top-level folders (see setup.cfg's package_dir)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Import name -> the folder holding its source.
PACKAGE_DIRS = {"borderrisk": ROOT / "borderrisk", "borderrisk.geo": ROOT / "geo", "borderrisk.layers": ROOT / "layers"}
SOURCE_FOLDERS = ("borderrisk", "geo", "layers")


def source_modules() -> dict[str, Path]:
    """Every module's dotted name -> its file."""
    modules = {}
    for package, folder in PACKAGE_DIRS.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            parts = parts[:-1] if parts[-1] == "__init__" else parts
            modules[".".join((package, *parts))] = path
    return modules


def source_files() -> list[Path]:
    return sorted(source_modules().values())


def package_folder(package: str) -> Path:
    """The folder of a dotted package name, through the longest mapped prefix."""
    base = max((p for p in PACKAGE_DIRS if package == p or package.startswith(p + ".")), key=len)
    return PACKAGE_DIRS[base].joinpath(*package[len(base) :].split(".")[1:])


#: Rooms from the bottom up; a room may import only rooms below it (and itself).
ROOMS = [
    ("borderrisk.geo",),
    ("borderrisk.data",),
    ("borderrisk.language",),
    ("borderrisk.risk", "borderrisk.annotations"),
    ("borderrisk.layers",),
    ("borderrisk.scenarios",),
    ("borderrisk.inputs",),
    ("borderrisk.fetch",),
    ("borderrisk.render",),
    ("borderrisk.recipes",),
    ("borderrisk.cli",),
]


def room_of(module: str) -> int | None:
    """The rank of a module's room in the house (0 at the bottom), or None outside the rooms."""
    for rank, rooms in enumerate(ROOMS):
        if any(module == room or module.startswith(room + ".") for room in rooms):
            return rank
    return None


def room_name(module: str) -> str:
    return next(r for rooms in ROOMS for r in rooms if module == r or module.startswith(r + "."))
