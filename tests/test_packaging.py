"""What a wheel ships: one top-level name, every package, every data file the packages load."""

import configparser
import fnmatch
import subprocess
import sys
import zipfile

import pytest

from house import PACKAGE_DIRS, ROOT, SOURCE_FOLDERS, package_folder


def setup_cfg() -> configparser.ConfigParser:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    return config


def test_every_package_folder_is_listed_in_setup_cfg():
    listed = set(setup_cfg()["options"]["packages"].split())
    folders = {
        ".".join((package, *init.parent.relative_to(folder).parts))
        for package, folder in PACKAGE_DIRS.items()
        for init in folder.rglob("__init__.py")
    }
    assert listed == folders


def test_every_data_file_in_the_packages_is_shipped():
    patterns = {
        package.strip(): [p.strip() for p in value.split(",")]
        for package, value in setup_cfg()["options.package_data"].items()
    }
    tracked = subprocess.run(
        ["git", "ls-files", *SOURCE_FOLDERS], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    data = [ROOT / f for f in tracked if not f.endswith(".py")]
    assert data, "git ls-files found nothing: run from a git checkout"
    unshipped = [
        str(path.relative_to(ROOT))
        for path in data
        if not any(
            path.is_relative_to(package_folder(package))
            and any(fnmatch.fnmatch(str(path.relative_to(package_folder(package))), p) for p in found)
            for package, found in patterns.items()
        )
    ]
    assert unshipped == []


@pytest.mark.slow
def test_the_wheel_installs_one_top_level_name(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path, ROOT],
        check=True,
    )
    (wheel,) = tmp_path.glob("borderrisk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert tops == {"borderrisk"}
    assert "borderrisk/geo/data/countries.parquet" in names
    assert "borderrisk/layers/base.py" in names
