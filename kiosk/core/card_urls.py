"""A case number carried in a URL's query string, e.g. ``https://jobcenter.example/k?bg=...``.

Parsed by hand with a strict pattern: kiosk.core imports no urllib, and a card URL has
no business being anything but plain ASCII https with a short query.
"""

from __future__ import annotations

import re
import string

_URL = re.compile(
    r"https://(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)(?::\d{1,5})?"
    r"(?:/[A-Za-z0-9._~!$'()*+,;=:@/%-]*)?"
    r"\?(?P<query>[A-Za-z0-9._~!$'()*+,;=:@/%&?-]*)"
    r"(?:#[A-Za-z0-9._~!$&'()*+,;=:@/?%-]*)?",
    re.IGNORECASE,
)


class UrlProblem(ValueError):
    """``malformed``, ``foreign-host``, ``foreign-parameter`` or ``ambiguous``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def looks_like_url(text: str) -> bool:
    return text[:8].lower().startswith(("https://", "http://"))


def case_parameter(text: str, names: tuple[str, ...], hosts: tuple[str, ...]) -> str:
    """The decoded value of the one allowed query parameter; raises UrlProblem.

    ``names`` and ``hosts`` are lower case; an empty ``hosts`` allows any host.
    """
    match = _URL.fullmatch(text)
    if match is None:
        raise UrlProblem("malformed")
    if hosts and match["host"].lower() not in hosts:
        raise UrlProblem("foreign-host")
    values = []
    for pair in match["query"].split("&"):
        name, _, value = pair.partition("=")
        if _unquote(name).lower() in names:
            values.append(_unquote(value))
    if not values:
        raise UrlProblem("foreign-parameter")
    if len(values) > 1:  # two candidates: which one did the card's maker mean?
        raise UrlProblem("ambiguous")
    return values[0]


def _unquote(value: str) -> str:
    """Percent-decoding to printable ASCII only; ``+`` is a space (form encoding)."""
    out: list[str] = []
    index = 0
    while index < len(value):
        char = value[index]
        if char != "%":
            out.append(" " if char == "+" else char)
            index += 1
            continue
        digits = value[index + 1 : index + 3]
        if len(digits) != 2 or not all(d in string.hexdigits for d in digits):
            raise UrlProblem("malformed")
        code = int(digits, 16)
        if not 0x20 <= code < 0x7F:
            raise UrlProblem("malformed")
        out.append(chr(code))
        index += 3
    return "".join(out)
