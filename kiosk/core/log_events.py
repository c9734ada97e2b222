"""The event catalogue: every event the kiosk logs, with its id, severity, message and a
help text for staff; the fields an event may carry (an allow-list); ``emit``.

Pure: ``emit`` calls the logger it is given (anything with ``log(level, msg, extra=...)``),
so core, services, drivers and front ends all log through the one table. The handler that
writes the journal, stderr and the event file is ``kiosk.services.eventlog``; the staff
page ``docs/events.md`` is ``markdown()`` (``python -m kiosk.devtools.events_doc``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from kiosk.core.redact import scrub

# The logging module's numbers (kiosk.core imports no logging).
DEBUG, INFO, WARNING, ERROR = 10, 20, 30, 40
LEVEL_NAMES = {INFO: "info", WARNING: "warning", ERROR: "error"}
DETAIL_LIMIT = 300  # characters of a free-text field
_SPEC = re.compile(r":[^{}]*\}")  # a placeholder's format spec, left out of the docs


@dataclass(frozen=True, slots=True)
class Field:
    kind: type  # str, int or float
    meaning: str
    to_file: bool = True  # False: in the journal line only, never in the event file/bundle
    free_text: bool = False  # scrubbed (kiosk.core.redact) and cut to DETAIL_LIMIT


# The allow-list. Nothing of a client's: no case number, name, card payload, URL or token.
FIELDS: dict[str, Field] = {
    "team": Field(str, "team id the document is routed to (routing table)"),
    "item": Field(str, "spool item id (random, `kiosk outbox show ID`)"),
    "attempts": Field(int, "delivery attempts so far"),
    "pages": Field(int, "page count"),
    "count": Field(int, "how many"),
    "delay_s": Field(float, "seconds until the next try"),
    "duration_s": Field(float, "seconds something took"),
    "error": Field(str, "exception class"),
    "fault": Field(str, "fault class (scanner fault, print fault, out-of-order reason)"),
    "kind": Field(str, "kind of identifier (bg-nummer, kundennummer, token, ...)"),
    "via": Field(str, "how a card was read (qr, url, letter, ...)"),
    "code": Field(str, "reason code of a refusal"),
    "concern": Field(str, "concern key (renewal, sick, ...)"),
    "queue": Field(str, "CUPS queue of the receipt printer"),
    "job": Field(str, "CUPS job id"),
    "language": Field(str, "language code"),
    "signal": Field(str, "signal name"),
    "logger": Field(str, "the module that logged"),
    "path": Field(str, "a directory or file of the kiosk's own", free_text=True),
    "detail": Field(str, "what went wrong, as the component says it", free_text=True),
    "case_tag": Field(str, "keyed pseudonym of the case (journal only)", to_file=False),
    "card": Field(str, "staff card id (random, `kiosk staff list`; never the staff name)"),
    "role": Field(str, "staff role (office, support)"),
    "notice": Field(str, "out-of-order notice staff chose (reception, maintenance, ...)"),
    "setting": Field(str, "local setting staff changed (language, scan_mode, ...)"),
}


@dataclass(frozen=True, slots=True)
class EventSpec:
    id: str
    level: int
    message: str  # str.format template over the event's fields
    help: str  # for staff: what it means, what to do
    fields: tuple[str, ...] = ()


def _spec(id: str, level: int, message: str, help: str, *fields: str) -> EventSpec:
    return EventSpec(id, level, message, help, fields)


_EVENTS = (
    # -- delivery ---------------------------------------------------------------------
    _spec("submission.spooled", INFO,
          "spooled {item} for {case_tag}: {pages} pages, concern {concern}, team {team}",
          "A document is stored encrypted on the kiosk and waits for delivery.",
          "item", "case_tag", "pages", "concern", "team"),
    _spec("delivery.succeeded", INFO, "delivered {item} after {attempts} earlier attempt(s)",
          "A document reached its team's inbox and was deleted from the kiosk.",
          "item", "attempts", "team"),
    _spec("delivery.failed", WARNING,
          "delivery of {item} failed (attempt {attempts}), next in {delay_s:.0f} s: {detail}",
          "The inbox could not take a document now; the kiosk tries again by itself. Many in a "
          "row for one team: check that inbox (`kiosk diag --only delivery`).",
          "item", "attempts", "delay_s", "detail", "team"),
    _spec("delivery.held", ERROR, "delivery of {item} rejected, held for staff: {detail}",
          "The inbox refused a document (not a passing fault). It stays on the kiosk: fix the "
          "inbox or routing, then `kiosk outbox retry ID`.", "item", "detail", "team"),
    _spec("delivery.quarantined", ERROR, "quarantined {item}: {detail}",
          "A spooled document cannot be read back (damaged or foreign file). Call support; "
          "do not delete the spool.", "item", "detail"),
    _spec("delivery.round_failed", ERROR, "delivery round failed ({error}: {detail})",
          "The delivery service hit an unexpected error and carries on. Repeated: check the "
          "state dir's disk (`kiosk diag --only storage`).", "error", "detail"),
    _spec("outbox.status_unreadable", WARNING,
          "status of {item} unreadable; treating it as pending",
          "A status file in the spool was torn (power loss); the document is kept and sent.",
          "item"),
    _spec("outbox.sent_again", INFO, "held item {item} sent again by staff",
          "Staff moved a held or quarantined document back to waiting (after a fix) and "
          "tried it at once.", "item", "team", "card"),
    _spec("receipts.pruned", INFO, "receipt index: {count} day(s) past the keeping time deleted",
          "The receipt index (no case numbers) keeps `[receipt] keep_index_days` days.",
          "count"),
    _spec("receipts.unwritable", WARNING, "receipt index not written: {detail}",
          "\"Did it arrive?\" may not know the newest receipts; the documents are safe in the "
          "outbox. Check the state dir (`kiosk diag --only storage`).", "detail"),
    _spec("receipts.unreadable", WARNING, "receipt index day {path} unreadable; started over",
          "A day of the receipt index was not valid JSON (edited by hand?).", "path"),
    # -- the delivery service ---------------------------------------------------------
    _spec("service.started", INFO, "delivering from {path}",
          "`kiosk deliver` started.", "path"),
    _spec("service.stopping", INFO, "{signal} received: stopping",
          "`kiosk deliver` was asked to stop.", "signal"),
    _spec("service.unfinished", WARNING,
          "an attempt was still running; it is repeated at the next start",
          "The delivery service stopped mid-attempt; nothing is lost."),
    _spec("service.stopped", INFO, "stopped", "`kiosk deliver` stopped."),
    _spec("service.unroutable", ERROR,
          "new documents cannot be routed ({detail}); delivering what is spooled",
          "The routing table is unusable: the kiosk takes no new documents. Fix the table "
          "(`kiosk config check`), then `kiosk routing sync`.", "detail"),
    # -- set-up and storage -------------------------------------------------------------
    _spec("kiosk.out_of_order", ERROR, "out of order: {detail}",
          "The touch UI shows the out-of-order screen. `kiosk diag` says why.", "detail"),
    _spec("storage.unwritable", ERROR, "spool {path} not writable: {detail}",
          "The kiosk cannot store documents: disk full, read-only or wrong owner of the "
          "state dir.", "path", "detail"),
    _spec("routing.warning", WARNING, "routing table {path}: {detail}",
          "The routing table loaded, with something to look at.", "path", "detail"),
    _spec("setup.demo_inboxes", WARNING, "demo inboxes cannot be made under {path}: {detail}",
          "Embedded defaults only: the demo inbox folders could not be made.", "path", "detail"),
    # -- cards --------------------------------------------------------------------------
    _spec("card.refused", INFO, "card refused: {code}",
          "A card or code was shown that this kiosk does not accept; the client was told why.",
          "code"),
    _spec("card.staff", INFO, "staff card accepted", "Staff mode was opened with a staff card."),
    _spec("card.read", INFO, "card read: {kind} via {via}", "A card named a case number.",
          "kind", "via"),
    _spec("card.lookup_failed", WARNING, "card token lookup failed: {detail}",
          "The card-token service did not answer; clients were asked to type their number. "
          "Check [routing] token_lookup.", "detail"),
    _spec("card.unknown_token", INFO, "card refused: unknown token",
          "A card token is in neither the routing table nor the lookup service (revoked?)."),
    _spec("card.token_resolved", INFO, "card read: token resolved to a {kind}",
          "A card token was resolved to a case number.", "kind"),
    # -- staff cards and PINs (each also a line of the staff audit log) -----------------
    _spec("staff.no_enrolment", INFO, "no staff card enrolled: a staff card alone opens staff mode",
          "Nobody is enrolled with `kiosk staff add` yet, so a signed staff card needs no PIN. "
          "Enrol staff and set their PINs (`kiosk staff pin ID`) to require one."),
    _spec("staff.login_card_only", INFO, "staff card {card} opened staff mode without a PIN",
          "No staff card is enrolled on this kiosk: the card alone opened staff mode.", "card"),
    _spec("staff.login", INFO, "staff login: card {card}, role {role}",
          "Staff mode was opened with an enrolled card and its PIN.", "card", "role"),
    _spec("staff.card_refused", WARNING, "staff card {card} refused: {code}",
          "A staff card was shown that may not open staff mode here: unknown (not enrolled on "
          "this kiosk), revoked, no-pin (`kiosk staff pin ID`) or role-mismatch.",
          "card", "code"),
    _spec("staff.pin_wrong", WARNING, "wrong PIN for staff card {card} ({attempts} in a row)",
          "A wrong PIN was typed. After 5 in a row the login locks, longer each time.",
          "card", "attempts"),
    _spec("staff.locked_out", WARNING,
          "staff login locked for {delay_s:.0f} s after wrong PIN {attempts} (card {card})",
          "Too many wrong PINs in a row on this card or this kiosk: no PIN is checked until "
          "the time is up. Someone may be guessing: see `kiosk staff audit`.",
          "card", "attempts", "delay_s"),
    _spec("staff.login_locked", INFO,
          "PIN for staff card {card} not checked: locked {delay_s:.0f} s more",
          "A PIN was typed while the login was locked; it was not checked.", "card", "delay_s"),
    _spec("staff.revoked_hard_cap", ERROR,
          "staff card {card} revoked after {attempts} wrong PINs in a row",
          "The card is revoked until it gets a new PIN (`kiosk staff pin ID`); if the card "
          "was lost, `kiosk staff revoke ID` and enrol a new one.", "card", "attempts"),
    _spec("staff.enrolled", INFO, "staff card {card} enrolled, role {role}",
          "`kiosk staff add` issued a card; it needs a PIN (`kiosk staff pin ID`).",
          "card", "role"),
    _spec("staff.revoked", WARNING, "staff card {card} revoked",
          "`kiosk staff revoke`, or the office's revocation list (`[staff] sync_url`), "
          "revoked a card for good.", "card"),
    _spec("staff.revocations_synced", INFO,
          "staff revocation list applied: {count} card(s) newly revoked",
          "`kiosk staff sync` fetched the office's list of revoked staff cards.", "count"),
    _spec("staff.revocations_not_synced", WARNING, "staff revocation list not applied: {detail}",
          "The office's list of revoked staff cards could not be fetched or is invalid; the "
          "cards revoked so far stay revoked. Check `[staff] sync_url` and the network.",
          "detail"),
    _spec("staff.pin_set", INFO, "PIN of staff card {card} set (role {role})",
          "`kiosk staff pin` set or changed a PIN (never logged).", "card", "role"),
    _spec("staff.files_unreadable", ERROR, "staff register unreadable: {detail}",
          "The staff files in <state dir>/staff cannot be read: no staff card is accepted. "
          "Check the disk and the files' owner (`kiosk diag --only storage`).", "detail"),
    # -- what staff do in staff mode (each also a line of the staff audit log) -----------
    _spec("staff.out_of_order", WARNING, "put out of order by staff card {card}: {notice}",
          "Staff put the kiosk out of order with a notice for clients (docs/staff.md); it "
          "stays so, across restarts, until staff put it back in service.",
          "card", "role", "notice"),
    _spec("staff.back_in_service", INFO, "back in service by staff card {card}",
          "Staff ended an out-of-order notice: clients can use the kiosk again.",
          "card", "role"),
    _spec("staff.setting_changed", INFO, "local setting {setting} changed by staff card {card}",
          "A setting of <state dir>/local-settings.toml (docs/staff.md); `kiosk staff audit` "
          "says from what to what.", "card", "role", "setting"),
    _spec("staff.reboot", WARNING, "PC reboot asked by staff card {card}",
          "Field support restarted the PC from staff mode.", "card", "role"),
    _spec("staff.audit_unwritable", ERROR, "staff audit log not written: {detail}",
          "A staff login or change could not be written to the audit log (disk full?).",
          "detail"),
    _spec("scan.settings_missing", INFO, "scanned as the scanner does: {detail}",
          "The scanner has no option for part of the scan request (SANE's pnm backend has "
          "no mode, a flatbed no source): the pages are as it scans them, and each page's "
          "sidecar entry says so. `kiosk diag` lists what the scanner lacks.", "detail"),
    _spec("camera.lost", WARNING, "camera lost: {detail}; retrying every {delay_s:.1f} s at most",
          "The card camera stopped delivering pictures. Check its cable; it reconnects by "
          "itself.", "detail", "delay_s"),
    _spec("camera.none", INFO, "no card camera", "The kiosk runs without a card camera."),
    _spec("codes.pyzbar_missing", WARNING,
          "pyzbar unavailable, reading with zxing-cpp only: {detail}",
          "libzbar0 is missing: codes are still read, a little less well on poor photos.",
          "detail"),
    _spec("codes.disagreed", INFO, "decoders disagree on a code: rejected",
          "Two decoders read one code differently; it was ignored (a damaged print)."),
    # -- receipt printer, sound, speech -------------------------------------------------
    _spec("printer.failed", ERROR, "receipt printer {queue}: not printed: {detail}",
          "A receipt was not printed; the client was asked to note the number. Check paper "
          "and the queue (`lpstat -p`).", "queue", "detail"),
    _spec("printer.recovered", INFO, "receipt printer {queue} prints again",
          "The receipt printer works again.", "queue"),
    _spec("printer.cancel_failed", WARNING,
          "receipt printer {queue}: cancelling {job} failed: {detail}",
          "A stuck print job could not be cancelled: remove it (`cancel -x`), or it may print "
          "later.", "queue", "job", "detail"),
    _spec("printer.rtl_left_out", WARNING,
          "receipt printer: {language} left out: right-to-left text needs Pillow with libraqm "
          "(libfribidi0) and fonts-dejavu-core",
          "Arabic is left off the paper receipt: install libfribidi0.", "language"),
    _spec("sound.unavailable", WARNING, "warning sound unavailable: {detail}",
          "The timeout warning sound cannot play (aplay missing, no sound card).", "detail"),
    _spec("sound.recovered", INFO, "warning sound works again", "The warning sound plays again."),
    _spec("speech.unavailable", WARNING, "speech output unavailable: {detail}",
          "Speech output (espeak-ng) cannot start: blind clients get no speech.", "detail"),
    # -- records without an event of their own -----------------------------------------
    _spec("log.warning", WARNING, "warning from {logger}",
          "A warning without an event of its own; its text is in the journal.", "logger"),
    _spec("log.error", ERROR, "error from {logger}",
          "An error without an event of its own; its text is in the journal.", "logger"),
)  # fmt: skip

CATALOGUE: dict[str, EventSpec] = {spec.id: spec for spec in _EVENTS}


class Logger(Protocol):
    def log(
        self,
        level: int,
        msg: object,
        *,
        extra: Mapping[str, object] | None = ...,
        stacklevel: int = ...,
    ) -> None: ...


def clean_fields(spec: EventSpec, fields: Mapping[str, object]) -> dict[str, object]:
    """The fields ``spec`` allows, of their kind; free text scrubbed. Others are dropped."""
    out: dict[str, object] = {}
    for name in spec.fields:
        value = fields.get(name)
        field = FIELDS[name]
        if value is None:
            continue
        if field.kind is str:
            text = str(value)
            out[name] = scrub(text, DETAIL_LIMIT) if field.free_text else text[:DETAIL_LIMIT]
        elif isinstance(value, bool) or not isinstance(value, int | float):
            continue
        else:
            out[name] = field.kind(value)
    return out


def render(spec: EventSpec, fields: Mapping[str, object]) -> str:
    """The event's line: its template over its fields (a missing one shows as "?")."""
    values = {name: fields.get(name, "?") for name in spec.fields}
    try:
        return spec.message.format(**values)
    except (ValueError, TypeError):  # "?" where a number was formatted
        return spec.message.format(**{k: _Plain(v) for k, v in values.items()})


class _Plain:
    def __init__(self, value: object) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        return str(self.value)


def emit(logger: Logger, event_id: str, **fields: object) -> None:
    """Log one catalogued event. Unknown fields are dropped, never logged."""
    spec = CATALOGUE[event_id]
    clean = clean_fields(spec, fields)
    extra = {"kiosk_event": event_id, "kiosk_fields": clean}
    logger.log(spec.level, render(spec, clean), extra=extra, stacklevel=2)


def markdown() -> str:
    """docs/events.md: every event, for staff and field support."""
    lines = [
        "# Kiosk events",
        "",
        "Generated from `kiosk/core/log_events.py` (`python -m kiosk.devtools.events_doc`);"
        " do not edit.",
        "",
        "Every event goes to the systemd journal (`journalctl -t kiosk KIOSK_EVENT=<id>`),"
        " or to stderr without one, and to `<state dir>/events/YYYY-MM-DD.jsonl` (UTC days,"
        " kept 30 days, in the support bundle for 7). Repeats of one event with the same"
        ' fields within 60 s are one line, "(repeated N times)".',
        "",
        "| id | level | message | what it means / what to do |",
        "|---|---|---|---|",
    ]
    for spec in _EVENTS:
        message = _SPEC.sub("}", spec.message).replace("|", "\\|")
        lines.append(f"| `{spec.id}` | {LEVEL_NAMES[spec.level]} | {message} | {spec.help} |")
    lines += ["", "## Fields", "", "| field | meaning |", "|---|---|"]
    for name, field in FIELDS.items():
        lines.append(f"| `{name}` | {field.meaning} |")
    return "\n".join(lines) + "\n"
