"""Settings staff change on the kiosk itself (staff mode's settings page), over the central
configuration: the start language, the scan mode, duplex, speech on by default and the
idle timeout of the client's screens.

They live in ``<state dir>/local-settings.toml`` (0600, written atomically), a flat table
validated like the main configuration (kiosk.services.tomlstruct: every problem named by
key and line)::

    language = "uk"
    scan_mode = "gray"      # as [scanner] mode: color (pages without colour are kept
                            # gray), gray, bw
    duplex = true
    speech = false
    idle_timeout = 120      # seconds a client screen waits for a touch (60 to 600)

A key the file does not set follows the central configuration. A key the central
configuration locks (``[staff] locked = ["scan_mode", ...]``) is "managed by IT": the
file's value for it is ignored and staff cannot change it. A broken file is reported
(`kiosk config check`, the log, the settings page) and ignored as a whole, never fatal.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated

from msgspec import Meta

from drivers.scanner.protocol import ColorMode, Source
from kiosk.core.records import replace
from kiosk.core.session import LANGUAGES, Limits, Phase
from kiosk.services.config import KioskConfig
from kiosk.services.spool.fsync import write_atomic
from kiosk.services.statedir import ENV_VAR
from kiosk.services.tomlfile import InvalidFile, TomlFile
from kiosk.services.tomlstruct import convert, problem

log = logging.getLogger(__name__)

FILE = "local-settings.toml"
KEYS = ("language", "scan_mode", "duplex", "speech", "idle_timeout")
IDLE_LOWEST, IDLE_HIGHEST = 60, 600  # seconds; the kiosk warns 20 s before the end
IDLE_CHOICES = (60, 90, 120, 180, 300)  # what the settings page offers (besides "as set")
# The screens a client acts on: the idle timeout replaces their own limits (60 to 120 s).
CLIENT_PHASES = (
    Phase.LANGUAGE,
    Phase.IDENTIFY,
    Phase.CONFIRM,
    Phase.CONCERN,
    Phase.SCAN,
    Phase.REVIEW,
)

_Language = Annotated[
    str,
    Meta(pattern=rf"\A(?:{'|'.join(LANGUAGES)})\Z"),
    problem(f"must be one of {', '.join(LANGUAGES)}"),
]
_Idle = Annotated[int, Meta(ge=IDLE_LOWEST, le=IDLE_HIGHEST)]


@dataclass(frozen=True, slots=True)
class LocalSettings:
    """What the file sets; None: not set here (the central configuration applies)."""

    language: _Language | None = None
    scan_mode: ColorMode | None = None
    duplex: bool | None = None
    speech: bool | None = None
    idle_timeout: _Idle | None = None


@dataclass(frozen=True, slots=True)
class Effective:
    """What the kiosk uses: the file's value where it may set one, else the central."""

    language: str
    scan_mode: ColorMode
    duplex: bool
    speech: bool
    idle_timeout: int | None  # None: each screen's own limit (kiosk.core.session.Limits)


@dataclass(frozen=True, slots=True)
class LocalState:
    """The settings page's picture: what applies, what is managed by IT, what is wrong."""

    local: LocalSettings
    effective: Effective
    locked: frozenset[str]
    problem: str | None = None  # the file is broken (and ignored): why, by key and line


class SettingLocked(Exception):
    """The central configuration locks this setting (managed by IT)."""


def path_in(state: Path) -> Path:
    return state / FILE


def load(path: Path) -> tuple[LocalSettings, str | None]:
    """The file's settings, or none and why (a broken file counts as none)."""
    if not path.exists():
        return LocalSettings(), None
    try:
        file = TomlFile.read(path)
        found = convert(file, file.data, LocalSettings)
        file.raise_if_problems()
    except InvalidFile as err:
        log.warning("local settings ignored: %s", err)
        return LocalSettings(), str(err)
    return found or LocalSettings(), None


def locked_keys(config: KioskConfig) -> frozenset[str]:
    """The central configuration's ``[staff] locked``; duplex too where the scanner's
    source is the flatbed (a flatbed has no back side to turn on)."""
    locked = set(config.staff_locked)
    if config.scanner.source is Source.FLATBED:
        locked.add("duplex")
    return frozenset(locked)


def central(config: KioskConfig) -> Effective:
    return Effective(
        language=config.language,
        scan_mode=config.scanner.mode,
        duplex=config.scanner.source is Source.DUPLEX,
        speech=False,
        idle_timeout=None,
    )


def state_of(config: KioskConfig, path: Path) -> LocalState:
    local, why = load(path)
    locked = locked_keys(config)
    base = central(config)
    chosen = {
        key: getattr(local, key)
        for key in KEYS
        if key not in locked and getattr(local, key) is not None
    }
    return LocalState(local, replace(base, **chosen), locked, why)


def changed(config: KioskConfig, path: Path, key: str, value: object) -> LocalState:
    """Set ``key`` to ``value`` (None: back to the central setting) in the file, atomically;
    refuses a locked key (SettingLocked) and a value the file could not hold (ValueError).
    A broken file is replaced by one holding this setting only."""
    if key not in KEYS:
        raise ValueError(f"no local setting {key!r}")
    if key in locked_keys(config):
        raise SettingLocked(key)
    local, _ = load(path)
    save(path, replace(local, **{key: value}))  # checked in save
    return state_of(config, path)


def reset(config: KioskConfig, path: Path) -> LocalState:
    """Every setting back to the central configuration (the file goes)."""
    path.unlink(missing_ok=True)
    return state_of(config, path)


def save(path: Path, settings: LocalSettings) -> None:
    text = encode(settings)
    check = TomlFile(path, text, _loads(text))
    convert(check, check.data, LocalSettings)
    if check.problems:  # never write what the kiosk would refuse to read
        raise ValueError("; ".join(str(p) for p in check.problems))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode())


def encode(settings: LocalSettings) -> str:
    lines = [
        "# Written by the kiosk's staff mode (settings page). A key the central",
        "# configuration locks ([staff] locked) is ignored here.",
    ]
    for item in fields(settings):
        value = getattr(settings, item.name)
        if value is None:
            continue
        if isinstance(value, bool):
            shown = "true" if value else "false"
        elif isinstance(value, int):
            shown = str(value)
        else:
            shown = f'"{value}"'  # languages and scan modes: letters only (validated)
        lines.append(f"{item.name} = {shown}")
    return "\n".join(lines) + "\n"


def parse_value(key: str, text: str) -> object:
    """A value as the settings page sends it ("uk", "gray", "true", "120", "" for none)."""
    if text == "":
        return None
    if key in ("duplex", "speech"):
        if text not in ("true", "false"):
            raise ValueError(f"{key} is true or false")
        return text == "true"
    if key == "idle_timeout":
        seconds = int(text)
        if not IDLE_LOWEST <= seconds <= IDLE_HIGHEST:
            raise ValueError(f"idle_timeout is {IDLE_LOWEST} to {IDLE_HIGHEST} seconds")
        return seconds
    if key == "scan_mode":
        return ColorMode(text)
    if key == "language" and text in LANGUAGES:
        return text
    raise ValueError(f"no value {text!r} for {key}")


def shown(value: object) -> str:
    """A value as the audit log and the page carry it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value.value if isinstance(value, ColorMode) else value)


def applied(config: KioskConfig, effective: Effective) -> KioskConfig:
    """The configuration the running kiosk scans with: language, mode and source set."""
    scanner = replace(config.scanner, mode=effective.scan_mode)
    if config.scanner.source is not Source.FLATBED:
        scanner = replace(scanner, source=Source.DUPLEX if effective.duplex else Source.ADF)
    return replace(config, language=effective.language, scanner=scanner)


def limits_for(limits: Limits, idle_timeout: int | None) -> Limits:
    """The session's limits with the client screens' idle timeout (None: their own)."""
    own = Limits().per_phase
    if idle_timeout is None:
        return replace(limits, per_phase=dict(own))
    return replace(limits, per_phase={**own, **dict.fromkeys(CLIENT_PHASES, float(idle_timeout))})


def file_of(config: KioskConfig) -> Path:
    """Where the kiosk with ``config`` keeps the file (as kiosk.services.statedir finds the
    state dir, without making it: `kiosk config check` changes nothing)."""
    chosen = os.environ.get(ENV_VAR) or config.state_dir
    if chosen:
        return Path(chosen).expanduser() / FILE
    if os.geteuid() == 0:
        return Path("/var/lib/kiosk") / FILE
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "kiosk" / FILE


def check(config: KioskConfig) -> tuple[str | None, list[str]]:
    """For `kiosk config check`: what the file sets (None: no file), and warnings (a
    broken file, a value for a setting the configuration locks): ignored, never fatal."""
    path = file_of(config)
    if not path.exists():
        return None, []
    local, why = load(path)
    if why is not None:
        return None, [f"local settings ignored (the kiosk starts without them): {why}"]
    warnings = [
        f"{path}: {key} is set here, but [staff] locked manages it: ignored"
        for key in KEYS
        if getattr(local, key) is not None and key in locked_keys(config)
    ]
    found = [
        f"{key} = {shown(getattr(local, key))}" for key in KEYS if getattr(local, key) is not None
    ]
    return f"{path}: local settings OK ({', '.join(found) or 'none set'})", warnings


def _loads(text: str) -> dict[str, object]:
    import tomllib

    return tomllib.loads(text)
