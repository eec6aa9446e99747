"""What a non-editable install ships: every data file the packages load is package data."""

import configparser
import fnmatch
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_data_file_in_the_packages_is_shipped():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    patterns = {
        package.strip(): [p.strip() for p in value.split(",")]
        for package, value in config["options.package_data"].items()
    }
    tracked = subprocess.run(
        ["git", "ls-files", "geo", "layers"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    data = [f for f in tracked if not f.endswith(".py")]
    assert data, "git ls-files found nothing: run from a git checkout"
    unshipped = []
    for name in data:
        shipped = any(
            name.startswith(package.replace(".", "/") + "/")
            and any(fnmatch.fnmatch(name[len(package.replace(".", "/")) + 1 :], pattern) for pattern in found)
            for package, found in patterns.items()
        )
        if not shipped:
            unshipped.append(name)
    assert unshipped == []
