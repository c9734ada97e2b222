"""``kiosk staff sync``: apply the office's list of revoked staff cards ([staff] sync_url)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from kiosk.cli.common import say
from kiosk.core.log_events import emit
from kiosk.exits import EXIT_FAILED, EXIT_OK

log = logging.getLogger(__name__)


def run(args: argparse.Namespace) -> int:
    return staff_sync(args.config)


def staff_sync(config_path: Path) -> int:
    """Nothing to do (exit 0) without a sync_url: the timer runs it on every kiosk."""
    from kiosk.app import channel_settings, find_config
    from kiosk.services.config import load_config
    from kiosk.services.staff.audit import AuditLog
    from kiosk.services.staff.revocation_sync import RevocationSyncError, sync_revocations
    from kiosk.services.staff.store import StaffFileError, StaffFiles
    from kiosk.services.statedir import state_dir

    path, _where = find_config(config_path)
    if path is None:
        print("no configuration: no staff revocation list to sync")
        return EXIT_OK
    config = load_config(path, routing=False)
    if config.staff_sync_url is None:
        print("[staff] sync_url is not set: no staff revocation list to sync")
        return EXIT_OK
    directory = state_dir(config.state_dir) / "staff"
    files, audit = StaffFiles(directory), AuditLog(directory, config.kiosk_id)
    try:
        result = sync_revocations(config.staff_sync_url, files, audit, channel_settings(config).tls)
    except (RevocationSyncError, StaffFileError, OSError) as err:
        emit(log, "staff.revocations_not_synced", detail=str(err))
        say(f"staff revocation list not applied, the cards revoked so far stay so: {err}")
        return EXIT_FAILED
    print(result)
    return EXIT_OK
