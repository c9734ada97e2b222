"""``kiosk support-bundle --out FILE``: one tar.gz for field support, nothing of a client's.

In it: ``manifest.json`` (sha256 and size of every other member, kiosk id, time, version),
``diag.json`` (``kiosk diag --json`` without the test scan), the event files of the last 7
days, ``scanner-options.txt`` (``scanimage -A``), ``usb.txt``, ``packages.json``,
``config.json`` (secrets and URL credentials redacted), ``routing.json`` (the table's
sha256, never its contents), ``systemd.txt``, ``staff-audit.jsonl`` and its head (the
staff audit log: card ids, roles, events; `kiosk staff audit --verify` reads them; never
the staff register with its names and PIN hashes). Never the spool, held pages, PDFs, keys,
tokens or the routing table itself: nothing is read from those directories. Every member
is scrubbed once more on the way in (kiosk.core.redact: case numbers, card payloads, URL
credentials), in case a component's own text quoted one. Written atomically, mode 0600.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.app import find_config
from kiosk.cli import bundle_parts as parts
from kiosk.cli.common import say
from kiosk.cli.diag import report
from kiosk.core.redact import scrub
from kiosk.exits import EXIT_FAILED, EXIT_OK
from kiosk.services.eventfile import event_files
from kiosk.services.statedir import state_dir
from kiosk.station import Station, StationError, open_station

EVENT_DAYS = 7


def run(args: argparse.Namespace) -> int:
    kiosk_id, members = collect(args.config)
    try:
        write_bundle(args.out, members, kiosk_id)
    except OSError as err:
        say(f"cannot write {args.out}: {err.strerror}")
        return EXIT_FAILED
    say(f"support bundle: {args.out} ({len(members) + 1} files)")
    return EXIT_OK


def collect(given: Path | None) -> tuple[str | None, dict[str, bytes]]:
    """The kiosk id, and every member but the manifest by name, already scrubbed."""
    from kiosk.diag import run_checks  # the checks' libraries only for this command
    from kiosk.services.tomlfile import InvalidFile

    path, _ = find_config(given)
    station: Station | None = None
    try:
        station = open_station(given)
    except (InvalidFile, StationError) as err:  # the bundle is most needed when it is broken
        problem = str(err)
    members: dict[str, bytes] = {}
    if station is not None:
        kiosk = station.kiosk
        members["diag.json"] = _json(report(station, run_checks(station)))
        state = kiosk.state
        scanner = kiosk.config.scanner
        options = parts.scanner_options(station.device, scanner.sane_config_dir)
        members["config.json"] = _json(parts.configuration(path, kiosk.config))
        members["routing.json"] = _json(parts.file_version(kiosk.config.routing_table))
        kiosk_id = kiosk.config.kiosk_id
    else:
        members["diag.json"] = _json({"kiosk": None, "problem": problem})
        state = state_dir(None)
        options = "(the kiosk does not open: no scanner dump)\n"
        members["config.json"] = _json(parts.configuration(path, None))
        members["routing.json"] = _json({"problem": "configuration does not load"})
        kiosk_id = None
    members["scanner-options.txt"] = _text(options)
    members["usb.txt"] = _text(parts.usb_devices())
    members["packages.json"] = _json(parts.package_versions())
    members["systemd.txt"] = _text(parts.systemd_status())
    for event_file in event_files(state, EVENT_DAYS):
        members[f"events/{event_file.name}"] = _events(event_file)
    for name in ("audit.jsonl", "audit.head"):  # kiosk.services.staff.audit
        if (state / "staff" / name).is_file():
            members[f"staff-{name}"] = _text((state / "staff" / name).read_text("utf-8", "replace"))
    return kiosk_id, members


def _json(data: Any) -> bytes:
    return (json.dumps(_scrubbed(data), ensure_ascii=False, indent=2) + "\n").encode()


def _text(text: str) -> bytes:
    return scrub(text).encode()


def _scrubbed(data: Any) -> Any:
    if isinstance(data, dict):
        return {scrub(str(k)): _scrubbed(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_scrubbed(v) for v in data]
    return scrub(data) if isinstance(data, str) else data


def _events(path: Path) -> bytes:
    """An event file, line by line through the scrubber (a torn line is left out)."""
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        out.append(json.dumps(_scrubbed(event), ensure_ascii=False, sort_keys=True) + "\n")
    return "".join(out).encode()


def manifest(members: dict[str, bytes], kiosk_id: str | None, now: float) -> bytes:
    files = {
        name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, data in sorted(members.items())
    }
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))
    info = {"kiosk": kiosk_id, "created": stamp, "version": __version__, "files": files}
    return (json.dumps(info, indent=2) + "\n").encode()


def write_bundle(
    out: Path, members: dict[str, bytes], kiosk_id: str | None, now: float | None = None
) -> None:
    """The tar.gz, atomically (a temporary file in the same directory, renamed), 0600."""
    now = time.time() if now is None else now
    everything = {"manifest.json": manifest(members, kiosk_id, now), **members}
    out = out.absolute()
    fd, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz") as tar:
                for name, data in everything.items():
                    info = tarfile.TarInfo(f"support-bundle/{name}")
                    info.size, info.mtime, info.mode = len(data), int(now), 0o600
                    tar.addfile(info, io.BytesIO(data))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
