"""What the support bundle collects, each part as text or data, nothing of a client's.

Every part is made here from the kiosk's own state and the machine's tools (scanimage,
lsusb, dpkg-query, systemctl); ``kiosk.cli.bundle`` scrubs and packs them.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import tomllib
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from msgspec import Struct, structs

from kiosk.core.redact import SECRET_MARK, scrub

TOOL_TIMEOUT = 15.0  # seconds for one outside tool (scanimage opening a busy scanner)
# dev.sh's APT_PACKAGES as of this writing, for an installed kiosk (no dev.sh there); in a
# source checkout dev.sh's current list is read and added (debian_packages).
DEV_SH = Path(__file__).resolve().parents[2] / "dev.sh"
_APT_PACKAGES = re.compile(r"^APT_PACKAGES=\((.*?)\n\)", re.DOTALL | re.MULTILINE)
DEBIAN_PACKAGES = (
    "python3", "python3-venv", "python3-dev", "gcc", "libc6-dev",
    "libsane1", "libsane-dev", "sane-utils", "libzbar0",
    "libegl1", "libgl1", "libxkbcommon0", "libxkbcommon-x11-0", "libfontconfig1", "libdbus-1-3",
    "libglib2.0-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1",
    "libxcb-randr0", "libxcb-render-util0", "libxcb-shape0", "libxcb-xinerama0", "libxcb-xkb1",
    "xvfb", "fonts-noto-core", "fonts-dejavu-core", "xdotool", "x11-utils", "espeak-ng",
    "alsa-utils", "cups", "printer-driver-cups-pdf", "libfribidi0",
)  # fmt: skip
PYTHON_PACKAGES = (
    "jobcenter-scan-kiosk", "python-sane", "Pillow", "numpy", "reportlab", "Babel",
    "cryptography", "opencv-python-headless", "pyzbar", "zxing-cpp", "PySide6-Essentials",
    "segno", "msgspec", "argon2-cffi",
)  # fmt: skip
UNITS = "kiosk*"  # the kiosk's systemd units (kiosk.service, kiosk-deliver.service, ...)
# A configuration key whose value is a secret itself (not a path to one: those may stay).
_SECRET_KEY = re.compile(r"pass(word|wd)?|secret|token|api_?key|credential|auth|bearer", re.I)
_PATH_KEY = re.compile(r"(_file|_dir|_path|_lookup|_url)\Z")


def run_tool(argv: list[str], env: dict[str, str] | None = None) -> str:
    """A tool's output with its exit status; a note when it is missing or too slow."""
    if shutil.which(argv[0]) is None:
        return f"({argv[0]} not installed)\n"
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, errors="replace", timeout=TOOL_TIMEOUT,
            env=env, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return f"({' '.join(argv)}: no answer within {TOOL_TIMEOUT:.0f} s: device busy or hung)\n"
    except OSError as err:
        return f"({' '.join(argv)}: {err.strerror})\n"
    return f"$ {' '.join(argv)}  (exit {done.returncode})\n{done.stdout}{done.stderr}"


def scanner_options(device: str, sane_config_dir: Path | None) -> str:
    """``scanimage -A`` of the configured device ("auto": every device), through the
    SANE configuration the kiosk uses."""
    env = dict(os.environ)
    if sane_config_dir is not None:
        env["SANE_CONFIG_DIR"] = str(sane_config_dir)
    argv = ["scanimage", "-A"] if device == "auto" else ["scanimage", "-d", device, "-A"]
    where = f"SANE_CONFIG_DIR={env.get('SANE_CONFIG_DIR', '(system: /etc/sane.d)')}\n"
    return where + run_tool(argv, env)


def usb_devices(sys_usb: Path = Path("/sys/bus/usb/devices")) -> str:
    if shutil.which("lsusb"):
        return run_tool(["lsusb"])
    lines = [f"(lsusb not installed: {sys_usb})"]
    for device in sorted(sys_usb.glob("*")) if sys_usb.is_dir() else []:
        ids = [_read(device / name) for name in ("idVendor", "idProduct", "product")]
        if ids[0]:
            lines.append(f"{device.name}\t{ids[0]}:{ids[1]}\t{ids[2]}")
    return "\n".join(lines) + "\n"


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace").strip()
    except OSError:
        return ""


def debian_packages(dev_sh: Path = DEV_SH) -> list[str]:
    """DEBIAN_PACKAGES, and what dev.sh's APT_PACKAGES names beyond them."""
    names = list(DEBIAN_PACKAGES)
    try:
        block = _APT_PACKAGES.search(dev_sh.read_text(encoding="utf-8"))
    except OSError:
        block = None
    if block is not None:
        for line in block.group(1).splitlines():
            names += [n for n in line.partition("#")[0].split() if n not in names]
    return names


def package_versions() -> dict[str, Any]:
    python: dict[str, str | None] = {}
    for name in PYTHON_PACKAGES:
        try:
            python[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            python[name] = None
    wanted = debian_packages()
    debian: dict[str, str | None] = dict.fromkeys(wanted)
    if shutil.which("dpkg-query"):
        try:
            done = subprocess.run(
                ["dpkg-query", "-W", "-f", "${Package}\t${Version}\n", *wanted],
                capture_output=True, text=True, timeout=TOOL_TIMEOUT, check=False,
            )  # fmt: skip
            for line in done.stdout.splitlines():
                name, _, version = line.partition("\t")
                debian[name.partition(":")[0]] = version or None
        except (OSError, subprocess.TimeoutExpired):
            pass
    return {"python": python, "debian": debian}


def systemd_status() -> str:
    if not Path("/run/systemd/system").is_dir():
        return "(no systemd running here: no unit status)\n"
    return run_tool(["systemctl", "status", "--no-pager", "--lines=0", UNITS])


def redact(value: Any, key: str = "") -> Any:
    """Configuration data with every secret value, key content and URL credential gone."""
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    elif isinstance(value, Struct):  # the configuration's records (kiosk.core.records)
        value = structs.asdict(value)
    if isinstance(value, dict):
        return {str(k): redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v, key) for v in value]
    if isinstance(value, Path):
        value = str(value)
    if isinstance(value, str):
        if "-----BEGIN" in value or (_SECRET_KEY.search(key) and not _PATH_KEY.search(key)):
            return SECRET_MARK
        return scrub(value)
    return value


def configuration(path: Path | None, effective: object) -> dict[str, Any]:
    """The configuration file as written (redacted), else the embedded defaults in effect."""
    if path is None:
        return {"origin": "embedded defaults", "settings": redact(effective)}
    try:
        data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, tomllib.TOMLDecodeError) as err:
        return {"origin": str(path), "problem": f"unreadable: {type(err).__name__}"}
    return {"origin": str(path), "settings": redact(data)}


def file_version(path: Path | None) -> dict[str, Any]:
    """A file by its sha256 only (the routing table: its [tokens] map cards to cases)."""
    if path is None:
        return {"path": None, "sha256": None}
    try:
        return {"path": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    except OSError as err:
        return {"path": str(path), "sha256": None, "problem": err.strerror}
