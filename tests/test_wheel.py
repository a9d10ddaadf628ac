"""A built wheel carries the evidence library: a plain install finds it."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO


def test_wheel_ships_the_library_and_checks_it(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist")],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    wheel = next((tmp_path / "dist").glob("appraisal-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "appraisal/_library/pathways/links.csv" in names
    assert "appraisal/_library/unit_costs/unit_costs.csv" in names
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), str(wheel)], capture_output=True, text=True
    )
    assert install.returncode == 0, install.stderr
    env = {**os.environ, "PYTHONPATH": str(target)}
    check = subprocess.run(
        [sys.executable, "-m", "appraisal.cli", "library", "check"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert check.returncode == 0, check.stderr
    assert str(Path(target) / "appraisal" / "_library") in check.stdout
