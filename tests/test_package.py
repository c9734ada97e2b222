"""The built package carries the assets: a wheel installed into a fresh virtualenv finds
the shipped pictograms, theme and sound under <prefix>/share/jobcenter-kiosk/assets (the
Debian package of issue 12 installs the same wheel)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FIND = """
import json, sys
from kiosk.services.assets import THEME, WARNING_SOUND, Assets
assets = Assets()
print(json.dumps({"shipped": str(assets.shipped), "prefix": sys.prefix,
    "pictograms": sorted(assets.pictogram_names()), "mirrored": sorted(assets.mirrored()),
    "theme": assets.find(THEME).is_file(), "sound": assets.find(WARNING_SOUND).stat().st_size}))
"""


@pytest.mark.slow
def test_an_installed_wheel_finds_its_assets(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy: building leaves build/ and egg-info behind
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".venv", ".git", "build", "__pycache__", "*.egg-info"),
    )
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)],
        check=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("jobcenter_scan_kiosk-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    # The new environment's own pip: this interpreter's would first uninstall the kiosk's
    # editable install here.
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
         "--no-compile", str(wheel)],
        check=True,
        timeout=300,
    )  # fmt: skip
    target = next((venv / "lib").glob("python3*/site-packages"))
    assert (target / "kiosk").is_dir()
    # Installed without its dependencies (no index here): it borrows this environment's
    # (msgspec, ...). A path line in a .pth file adds only that directory, not the .pth
    # files in it: this checkout's editable install stays out, the wheel's kiosk is found.
    (target / "borrowed-dependencies.pth").write_text(
        next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()) + "\n"
    )
    found = subprocess.run(
        [str(venv / "bin" / "python"), "-c", FIND],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,  # not the checkout: its assets/ must not be what is found
        timeout=60,
    )
    result = json.loads(found.stdout)
    assert result["shipped"] == str(venv / "share" / "jobcenter-kiosk" / "assets")
    shipped = sorted(path.stem for path in (ROOT / "assets" / "pictograms").glob("*.svg"))
    assert result["pictograms"] == shipped
    assert result["mirrored"] == ["back", "forward", "send", "undo"]
    assert result["theme"] is True
    assert result["sound"] == (ROOT / "assets" / "sounds" / "warning.wav").stat().st_size
