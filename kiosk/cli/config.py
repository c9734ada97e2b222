"""``kiosk check-id``, ``kiosk config check`` and ``kiosk routing sync``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.cli.common import say
from kiosk.core.identity import InvalidCaseNumber, parse_case_number
from kiosk.exits import EXIT_CONFIG, EXIT_FAILED, EXIT_OK


def run(args: argparse.Namespace) -> int:
    if args.command == "check-id":
        return check_id(args.value, args.json)
    if args.command == "config":
        return config_check(args.file)
    return routing_sync(args.config)


def check_id(value: str, as_json: bool) -> int:
    """Is it a case number? Kind and canonical value, or why not (exit 1)."""
    try:
        case = parse_case_number(value)
    except InvalidCaseNumber as bad:
        if as_json:
            print(json.dumps({"valid": False, "reason": bad.reason}))
        else:
            print(f"not a case number: {bad.reason}")
        return EXIT_FAILED
    if as_json:
        found = {"valid": True, "kind": case.kind.value, "value": case.value}
        print(json.dumps({**found, "masked": case.masked()}, ensure_ascii=False))
    else:
        print(f"{case.kind.value}: {case.value}")
    return EXIT_OK


def config_check(path: Path) -> int:
    """Every check the kiosk makes at start, for a kiosk configuration (and the routing
    table it names) or a routing table on its own: problems exit 4, warnings do not."""
    from kiosk.services.config import load_config
    from kiosk.services.routing.table import TABLE_KEYS, RoutingTable, load_routing
    from kiosk.services.tomlfile import TomlFile

    def report(table_path: Path, table: RoutingTable) -> None:
        teams, rules = len(table.teams), len(table.rules)
        print(f"{table_path}: routing table OK ({teams} teams, {rules} rules)")
        for warning in table.warnings:
            say(f"warning: {warning}")

    # An InvalidFile (the configuration's problems, then its routing table's) is reported
    # by kiosk.cli.main like every command's, exit 4.
    data = TomlFile.read(path).data
    if "kiosk" not in data and any(key in data for key in TABLE_KEYS):
        report(path, load_routing(path))
        return EXIT_OK
    config = load_config(path)
    print(f"{path}: OK (kiosk {config.kiosk_id}, scanner {config.scanner.device})")
    from kiosk.services.local_settings import check as check_local

    local, warnings = check_local(config)  # staff mode's settings over this file
    if local is not None:
        print(local)
    for warning in warnings:
        say(f"warning: {warning}")
    if config.routing_table is not None:
        report(config.routing_table, load_routing(config.routing_table, config.inbox_policy))
    return EXIT_OK


def routing_sync(config_path: Path) -> int:
    """Fetch the routing table from [routing] sync_url; an invalid one keeps the last good."""
    from kiosk.app import channel_settings
    from kiosk.services.config import load_config
    from kiosk.services.routing.sync import SyncError, sync_routing

    # Not the local table: a broken one is exactly what the sync is there to replace.
    config = load_config(config_path, routing=False)
    if config.routing_sync_url is None or config.routing_table is None:
        say("set [routing] sync_url and table in the configuration first")
        return EXIT_CONFIG
    try:
        result = sync_routing(
            config.routing_sync_url,
            config.routing_table,
            channel_settings(config).tls,
            config.inbox_policy,
        )
    except SyncError as err:
        say(f"routing table not updated, the last good one stays: {err}")
        return EXIT_FAILED
    print(result)
    return EXIT_OK
