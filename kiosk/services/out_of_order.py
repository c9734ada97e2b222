"""Out of order by staff: which notice clients see, kept in the kiosk state so that a
restart keeps it (``<state dir>/out-of-order.json``, 0600, written atomically).

Staff choose one of ``NOTICES`` (shown on the out-of-order screen in all five languages;
the words are msgids, translated by the UI) and put the kiosk back in service later. The
file holds the notice's key, since when, and the staff card's id (never a name). A file
that does not read (edited by hand, torn) keeps the kiosk out of order with the first
notice: whoever put it out of order meant it to stay so until staff say otherwise.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.text import N_
from kiosk.services.spool.fsync import write_atomic

log = logging.getLogger(__name__)

FILE = "out-of-order.json"
NOTICES = {
    "reception": N_("This kiosk is out of order. Please go to the reception."),
    "maintenance": N_("Closed for maintenance until tomorrow. Please go to the reception."),
    "repair": N_("The scanner is being repaired. Please use another kiosk."),
    "letterbox": N_(
        "This kiosk is out of order. You can put your documents in the job centre's letterbox."
    ),
}
FIRST = "reception"


@dataclass(frozen=True, slots=True)
class StaffNotice:
    notice: str  # a key of NOTICES
    since: str  # UTC, ISO 8601
    card: str  # the staff card that put the kiosk out of order

    @property
    def text(self) -> str:
        """The notice's msgid (untranslated)."""
        return NOTICES.get(self.notice, NOTICES[FIRST])


def path_in(state: Path) -> Path:
    return state / FILE


def load(path: Path) -> StaffNotice | None:
    """The staff notice in force, or None (the kiosk is in service as far as staff go)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        log.error("out-of-order notice unreadable (%s): kept out of order", type(err).__name__)
        return StaffNotice(FIRST, "", "")
    try:
        found = json.loads(raw)
        notice = StaffNotice(str(found["notice"]), str(found["since"]), str(found["card"]))
    except (ValueError, KeyError, TypeError):
        log.error("out-of-order notice %s does not read: kept out of order", path)
        return StaffNotice(FIRST, "", "")
    if notice.notice not in NOTICES:
        return StaffNotice(FIRST, notice.since, notice.card)
    return notice


def put(path: Path, notice: str, since: str, card: str) -> StaffNotice:
    if notice not in NOTICES:
        raise ValueError(f"no notice {notice!r}")
    chosen = StaffNotice(notice, since, card)
    data = {"notice": chosen.notice, "since": chosen.since, "card": chosen.card}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(data, sort_keys=True).encode() + b"\n")
    return chosen


def clear(path: Path) -> None:
    path.unlink(missing_ok=True)
