"""The Debian package as built: its control data, its files, and lintian's verdict."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.deploy.conftest import TIMINGS

pytestmark = [pytest.mark.slow, pytest.mark.deploy, pytest.mark.timeout(1800)]

VENV = "/opt/jobcenter-kiosk"
SITE = f"{VENV}/lib/python3.11/site-packages"
LANGUAGES = ("de", "uk", "ar", "tr", "en")


def field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True
    ).stdout.strip()


def listing(deb: Path) -> dict[str, str]:
    """Path (as installed) -> the tar line of each member."""
    out = subprocess.run(
        ["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    members = {}
    for line in out.splitlines():
        name = line.split(None, 5)[5].split(" -> ")[0]
        members[name.removeprefix(".").rstrip("/") or "/"] = line
    return members


def test_control_names_package_version_and_the_debian_packages_it_needs(deb: Path) -> None:
    assert deb.name == f"jobcenter-kiosk_{field(deb, 'Version')}_amd64.deb"
    assert field(deb, "Package") == "jobcenter-kiosk"
    assert field(deb, "Architecture") == "amd64"
    depends = {d.strip().split()[0] for d in field(deb, "Depends").split(",")}
    for needed in (
        "python3.11", "libsane1", "libzbar0", "libxcb-cursor0", "libegl1", "cage",
        "fonts-noto-core", "espeak-ng", "adduser", "systemd",
    ):  # fmt: skip
        assert needed in depends
    assert "cups-client" in field(deb, "Recommends")


def test_the_package_carries_venv_command_units_catalogs_and_assets(deb: Path) -> None:
    members = listing(deb)
    assert f"{VENV}/bin/kiosk" in members
    assert "-> /opt/jobcenter-kiosk/bin/kiosk" in members["/usr/bin/kiosk"]
    # The venv runs the target's interpreter (Debian 12's python3.11), not the builder's.
    assert "-> /usr/bin/python3.11" in members[f"{VENV}/bin/python3.11"]
    for unit in (
        "kiosk-ui.service", "kiosk-deliver.service", "kiosk-routing-sync.service",
        "kiosk-routing-sync.timer", "kiosk-metrics.service", "kiosk-metrics.timer",
    ):  # fmt: skip
        assert f"/lib/systemd/system/{unit}" in members
    assert not any("tmpfiles.d" in member for member in members)  # postinst grants the ACL
    for language in LANGUAGES:
        assert f"{SITE}/kiosk/ui/i18n/locale/{language}/LC_MESSAGES/kiosk.mo" in members
    assets = f"{VENV}/share/jobcenter-kiosk/assets"
    assert f"{assets}/theme/default.toml" in members
    assert f"{assets}/sounds/warning.wav" in members
    assert any(name.startswith(f"{assets}/pictograms/") for name in members)
    assert f"{SITE}/drivers/scanner/sane_config/dll.conf" in members
    assert "/usr/share/man/man1/kiosk.1.gz" in members
    # Byte-code is compiled by postinst on the target, never shipped.
    assert not [name for name in members if "__pycache__" in name]


def test_nothing_in_the_package_points_at_the_build_machine(deb: Path, tmp_path: Path) -> None:
    tree = tmp_path / "x"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tree)], check=True)
    found = subprocess.run(
        ["grep", "-rlF", "--", "build/deb/root", str(tree)], capture_output=True, text=True
    )
    assert found.stdout == ""
    shebang = (tree / "opt/jobcenter-kiosk/bin/kiosk").read_text().splitlines()[0]
    assert shebang == "#!/opt/jobcenter-kiosk/bin/python"
    config = (tree / "opt/jobcenter-kiosk/pyvenv.cfg").read_text()
    assert "home = /usr/bin" in config


def test_lintian_finds_no_error(deb: Path) -> None:
    started = time.monotonic()
    result = subprocess.run(
        ["lintian", "--tag-display-limit", "0", str(deb)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    TIMINGS["lintian"] = time.monotonic() - started
    errors = [line for line in result.stdout.splitlines() if line.startswith("E:")]
    assert errors == []
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    warnings = sorted({line.split()[2] for line in lines if line.startswith("W:")})
    print("lintian warnings:", ", ".join(warnings))
