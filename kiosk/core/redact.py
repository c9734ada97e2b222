"""Finding and removing what must never leave the kiosk in text: case numbers, card payloads,
credentials in URLs.

Used on every free-text log field (an exception's text may quote what it was given), on the
support bundle, and by the tests' log canary. Case numbers are found with the parser the
kiosk reads them with (``parse_case_number``), in every spelling it accepts.
"""

from __future__ import annotations

import re

from kiosk.core.card_signing import PREFIX_SIGNED, PREFIX_STAFF
from kiosk.core.cards import PREFIX_LETTER, PREFIX_TOKEN
from kiosk.core.identity import MAX_INPUT_LENGTH, CaseNumber, InvalidCaseNumber, parse_case_number

CASE_MARK = "[case]"
CARD_MARK = "[card]"
SECRET_MARK = "[redacted]"

# Words as a case number is split in text: runs of letters and digits (any script: the
# parser reads Arabic-Indic and fullwidth digits), and runs of slashes ("12345//0012345").
_WORD = re.compile(r"[^\W_]+|[/\uff0f]+")
_MOST_WORDS = 5  # "12345 BG 00 12 345": a number written in up to five groups
# A card payload: the kiosk's own prefixes, and whatever follows up to the next blank.
_CARD = re.compile(
    "(?:" + "|".join(re.escape(p) for p in (PREFIX_STAFF, PREFIX_SIGNED, PREFIX_TOKEN)) + r")\S*"
    "|" + re.escape(PREFIX_LETTER) + r"\S+",
    re.IGNORECASE,
)
# scheme://user:password@host, or scheme://token@host: everything before the @ goes.
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/?#@\s]*)@")
# The query of a URL may carry a key (?token=..., ?key=...): its values go.
_QUERY_VALUE = re.compile(r"(?P<name>[?&][^=&#\s]+=)(?P<value>[^&#\s]*)")
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://\S+")


def case_numbers_in(text: str) -> list[tuple[int, int, CaseNumber]]:
    """Every case number in ``text`` as (start, end, number), in any spelling the kiosk
    accepts: "12345BG0012345", "12345 // 12345", "123a456789", fullwidth or Arabic-Indic
    digits. Found by trying each run of up to five consecutive words with the parser."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    found: list[tuple[int, int, CaseNumber]] = []
    i = 0
    while i < len(words):
        for k in range(min(_MOST_WORDS, len(words) - i), 0, -1):
            joined = "".join(w for _, _, w in words[i : i + k])
            if len(joined) > MAX_INPUT_LENGTH or not any(c.isdigit() for c in joined):
                continue
            try:
                number = parse_case_number(joined)
            except InvalidCaseNumber:
                continue
            found.append((words[i][0], words[i + k - 1][1], number))
            i += k - 1
            break
        i += 1
    return found


def card_payloads_in(text: str) -> list[str]:
    """Card or letter payloads (``JC1:T:...``, ``JC1:S:...``, ``JC1:STAFF:...``, ``B#0...``)."""
    return [m.group() for m in _CARD.finditer(text)]


def url_without_secrets(url: str) -> str:
    """The URL with its user info and query values replaced: host and path stay."""
    url = _USERINFO.sub(lambda m: f"{m['scheme']}{SECRET_MARK}@", url)
    return _QUERY_VALUE.sub(lambda m: f"{m['name']}{SECRET_MARK}", url)


def scrub(text: str, limit: int | None = None) -> str:
    """``text`` without case numbers, card payloads or URL credentials (and at most
    ``limit`` characters): safe for a log line, the event file and the support bundle."""
    text = _CARD.sub(CARD_MARK, text)
    text = _URL.sub(lambda m: url_without_secrets(m.group()), text)
    for start, end, _ in reversed(case_numbers_in(text)):
        text = text[:start] + CASE_MARK + text[end:]
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
