"""``kiosk staff add|list|revoke|pin|audit|sync``: staff cards, their PINs and the audit log.

Run on the kiosk (its state dir holds the register). Names are shown here and printed on
the card, never logged; a PIN is never shown, logged or taken from the command line.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kiosk.app import Kiosk, staff_key_file
from kiosk.cli.common import open_kiosk, say
from kiosk.core.card_signing import MIN_KEY_BYTES
from kiosk.core.staff import Role
from kiosk.exits import EXIT_AUDIT_BROKEN, EXIT_FAILED, EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE
from kiosk.services.spool.fsync import write_atomic
from kiosk.services.spool.keys import load_key, load_or_create_key
from kiosk.services.staff.audit import AuditLog
from kiosk.services.staff.enrolment import Enrolment, EnrolmentError
from kiosk.services.staff.register import Register, StaffCard
from kiosk.services.staff.store import StaffFileError, StaffFiles
from kiosk.services.staff.throttle import Throttle

VALID_DAYS = 730  # a card's default life: two years


def run(args: argparse.Namespace) -> int:
    if args.staff_command == "sync":  # no kiosk to build: the timer's job
        from kiosk.cli import staff_sync

        return staff_sync.run(args)
    kiosk = open_kiosk(args.config).kiosk
    directory = kiosk.state / "staff"
    files, audit = StaffFiles(directory), AuditLog(directory, kiosk.config.kiosk_id)
    command = args.staff_command
    try:
        if command == "audit":
            return show_audit(audit, args.verify, args.json)
        enrolment = Enrolment(files, audit)
        if command == "add":
            return add(kiosk, enrolment, args)
        if command == "list":
            return list_cards(enrolment.register(), files, args.json)
        if command == "revoke":
            card = enrolment.revoke(args.card_id)
            print(f"staff card {args.card_id} revoked" + ("" if card else " (it was not enrolled)"))
            return EXIT_OK
        return set_pin(enrolment, args.card_id, args.pin_stdin)
    except EnrolmentError as err:
        say(str(err))
        return EXIT_INVALID_INPUT
    except StaffFileError as err:
        say(f"the staff files cannot be used: {err}")
        return EXIT_FAILED


def add(kiosk: Kiosk, enrolment: Enrolment, args: argparse.Namespace) -> int:
    expires = args.expires or date.today() + timedelta(days=VALID_DAYS)
    key_path = staff_key_file(kiosk.config, kiosk.state)
    new_key = not key_path.exists()
    if kiosk.config.cards.staff_key_file is not None:
        key = load_key(key_path, MIN_KEY_BYTES)  # issued by the office: never made here
    else:
        key = load_or_create_key(key_path)
    issued = enrolment.add(args.name, Role(args.role), expires, key)
    card = issued.card
    out: Path = args.out or Path(f"staff-card-{card.card_id}.pdf")
    from kiosk.services.staff.card_pdf import card_pdf  # reportlab only for this

    try:
        write_atomic(out, card_pdf(card, issued.payload, kiosk.config.site_name), mode=0o600)
    except OSError as err:
        say(f"cannot write {out}: {err.strerror}; the card is enrolled, revoke it or try again")
        return EXIT_FAILED
    print(f"staff card {card.card_id} enrolled: {card.role}, valid to {card.expires}")
    say(
        f"card to print: {out} (mode 0600: its code opens staff mode; delete it once printed)",
        f"next: kiosk staff pin {card.card_id}   (no PIN, no staff mode with this card)",
    )
    if new_key:
        say(f"new staff card key {key_path}: restart the kiosk program so that it reads it")
    return EXIT_OK


def list_cards(register: Register, files: StaffFiles, as_json: bool) -> int:
    throttle = Throttle.load(files)
    rows = [_row(card, register, throttle) for card in register.cards.values()]
    rows.sort(key=lambda row: (row["state"] == "revoked", row["name"].casefold()))
    others = sorted(set(register.revoked) - set(register.cards))
    if as_json:
        print(json.dumps({"cards": rows, "revoked_not_enrolled": others}, ensure_ascii=False))
        return EXIT_OK
    for row in rows:
        pin = f"PIN set {row['pin_set'][:10]}" if row["pin_set"] else "no PIN"
        print(
            f"{row['card_id']}  {row['role']:<8} {row['state']:<8} valid to {row['expires']}  "
            f"{pin:<18} {row['name']}"
        )
    for card_id in others:
        print(f"{card_id}  revoked (never enrolled here)")
    if not register.enrolled:
        say("no staff card enrolled: a staff card alone opens staff mode (kiosk staff add)")
    return EXIT_OK


def _row(card: StaffCard, register: Register, throttle: Throttle) -> dict[str, Any]:
    revocation = register.revoked.get(card.card_id)
    strikes = throttle.card(card.card_id)
    if revocation is not None:
        state = "revoked"
    elif card.expires < date.today():
        state = "expired"
    else:
        state = "active" if card.pin_hash else "no-pin"
    return {
        "card_id": card.card_id,
        "name": card.name,
        "role": card.role.value,
        "state": state,
        "issued": card.issued.isoformat(),
        "expires": card.expires.isoformat(),
        "pin_set": card.pin_set,
        "revoked": None if revocation is None else {"at": revocation.at, "why": revocation.reason},
        "wrong_pins": strikes.failures,
    }


def set_pin(enrolment: Enrolment, card_id: str, from_stdin: bool) -> int:
    if from_stdin:
        pin = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        pin = getpass.getpass("new PIN (4-8 digits): ")
        if getpass.getpass("the same PIN again: ") != pin:
            say("the two PINs differ: nothing changed")
            return EXIT_INVALID_INPUT
    else:
        say("no terminal to ask for the PIN: use --pin-stdin to read one line")
        return EXIT_USAGE
    lifted = enrolment.set_pin(card_id, pin)
    print(f"PIN of staff card {card_id} set" + (", revocation lifted" if lifted else ""))
    return EXIT_OK


def show_audit(audit: AuditLog, verify: bool, as_json: bool) -> int:
    result = audit.verify()
    broken = result.broken
    if verify:
        if as_json:
            why = {"line": broken.line, "why": broken.why} if broken else None
            info = {"path": str(audit.path), "lines": result.lines, "intact": not broken}
            print(json.dumps({**info, "broken": why}))
        elif broken is None:
            print(f"audit log intact: {result.lines} line(s) ({audit.path})")
        else:
            print(f"audit log broken at line {broken.line}: {broken.why} ({audit.path})")
        return EXIT_OK if broken is None else EXIT_AUDIT_BROKEN
    records = list(audit.records())
    if as_json:
        print(json.dumps(records))
    else:
        for r in records:
            change = " ".join(f"{k}={v}" for k, v in sorted(r.get("change", {}).items()))
            print(
                f"{r.get('seq', '?'):>5} {r.get('time', '?')} {r.get('event', '?'):<24} "
                f"{r.get('card', '-'):<10} {r.get('role', '-'):<8} {change}".rstrip()
            )
    if broken is not None:
        say(f"warning: the audit log is broken at line {broken.line}: {broken.why}")
    return EXIT_OK if broken is None else EXIT_AUDIT_BROKEN
