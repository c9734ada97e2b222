"""A document larger than its inbox takes, as numbered parts that each fit the limit.

The pages keep their order; a part is as full as the limit allows. A page that alone is
more than the limit is encoded again smaller (pages.shrink); one that still does not fit
goes out alone, named in ``Split.oversize``: the inbox may refuse it, and the outbox then
holds it for staff, as it does any refused document. Never is a page left out.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kiosk.core.records import replace
from kiosk.services.channels import ChannelSettings, Parcel, sidecar_json
from kiosk.services.pages.imaging import EncodedPage

# pages, part number, number of parts, number of its first page -> the parcel of that part
BuildPart = Callable[[Sequence[EncodedPage], int, int, int], Parcel]
# A mail's sender and kiosk id differ per kiosk from the ones measured with: room for them.
SMTP_MARGIN = 2048
# An https:// multipart request: the PDF, the sidecar JSON, boundaries and part headers.
HTTPS_FRAMING = 1024
_ROUNDS = 64


def wire_bytes(parcel: Parcel, url: str) -> int:
    """What an inbox's size limit counts: for smtp:// the whole mail (the PDF in base64,
    the sidecar, the text), for https:// the request body, else the PDF file."""
    scheme = urlsplit(url).scheme
    if scheme == "smtp":
        # The mail as the channel writes it, but without the PDF (composing megabytes of
        # base64 takes a second), and the PDF's base64 added: the same bytes to a few.
        from kiosk.services.channels.smtp import SmtpChannel

        empty = SmtpChannel(url, ChannelSettings()).compose(replace(parcel, pdf=b""))
        return len(empty) + _base64_bytes(len(parcel.pdf)) + SMTP_MARGIN
    if scheme == "https":
        return len(parcel.pdf) + len(sidecar_json(parcel)) + HTTPS_FRAMING
    return len(parcel.pdf)


def _base64_bytes(size: int) -> int:
    """An attachment of ``size`` bytes in a mail: base64, in lines of 76 and CRLF."""
    encoded = 4 * -(-size // 3)
    return encoded + 2 * -(-encoded // 76)


@dataclass(slots=True)
class Split:
    parcels: list[Parcel]
    pages: list[EncodedPage]  # as sent: a page encoded again smaller is the smaller one
    shrunk: list[int] = field(default_factory=list)  # page numbers (from 1) encoded smaller
    oversize: list[int] = field(default_factory=list)  # page numbers over the limit even so


def split(
    pages: Sequence[EncodedPage],
    build: BuildPart,
    measure: Callable[[Parcel], int],
    limit: int | None,
) -> Split:
    """One parcel when the document fits ``limit`` (or there is none), else parts."""
    pages = list(pages)
    whole = build(pages, 1, 1, 1)
    if limit is None:
        return Split([whole], pages)
    size = measure(whole)
    if size <= limit:
        return Split([whole], pages)
    estimate = _estimator(pages, build, measure, size)
    groups = _balanced(pages, estimate, limit)
    result = Split([], pages)
    for round_ in range(_ROUNDS):
        parcels = [
            build([pages[i] for i in g], n, len(groups), g[0] + 1) for n, g in enumerate(groups, 1)
        ]
        sizes = [measure(parcel) for parcel in parcels]
        result.parcels = parcels
        over = [(g, got) for g, got in zip(groups, sizes, strict=True) if got > limit]
        result.oversize = [index + 1 for g, _ in over for index in g]
        if not over or round_ == _ROUNDS - 1:
            break
        changed = False
        for number, got in enumerate(sizes):
            group = groups[number]
            if got <= limit:
                continue
            if len(group) > 1:  # the estimate was short: its last pages go to the next part
                moved = _tail(pages, group, got - limit)
                if number + 1 == len(groups):
                    groups.append([])
                groups[number + 1][:0] = group[-moved:]
                del group[-moved:]
                changed = True
            else:
                changed |= _shrink(pages, group[0], got - limit, result)
        if not changed:
            break
    return result


def _tail(pages: list[EncodedPage], group: list[int], excess: int) -> int:
    """How many of a part's last pages to move on so that it loses ``excess`` bytes (at
    least one, never all)."""
    moved, freed = 0, 0
    while moved < len(group) - 1 and (moved == 0 or freed < excess):
        moved += 1
        freed += len(pages[group[-moved]].data)
    return moved


def _shrink(pages: list[EncodedPage], index: int, excess: int, result: Split) -> bool:
    """Encode one page again, ``excess`` bytes (and a little) smaller; False when it
    cannot get any smaller."""
    from kiosk.services.pages.shrink import smaller

    page = pages[index]
    target = len(page.data) - excess - max(1024, excess // 20)
    found = smaller(page, max(target, 1))
    if found is None:
        return False
    pages[index] = found
    if index + 1 not in result.shrunk:
        result.shrunk.append(index + 1)
    return True


def _estimator(
    pages: list[EncodedPage], build: BuildPart, measure: Callable[[Parcel], int], whole: int
) -> Callable[[int], float]:
    """A part's size from its pages' bytes: a line through the first page alone and the
    whole document (what the PDF, base64 and the sidecar add, fitted, not guessed)."""
    first = len(pages[0].data)
    alone = measure(build(pages[:1], 1, 2, 1))
    total = sum(len(page.data) for page in pages)
    slope = (whole - alone) / (total - first) if total > first else 1.0
    return lambda data_bytes: alone + slope * (data_bytes - first)


def _balanced(
    pages: list[EncodedPage], estimate: Callable[[int], float], limit: int
) -> list[list[int]]:
    """Pages in order, in as few parts as the estimate lets fit the limit, and of sizes as
    even as that number allows (no 14 KB last part after nine full ones)."""
    fewest = _pack(pages, lambda data: estimate(data) <= limit)
    low = max(len(page.data) for page in pages)
    high = sum(len(page.data) for page in pages)
    while low < high:  # the smallest share of page bytes that still needs no more parts
        middle = (low + high) // 2
        if len(_pack(pages, functools.partial(operator.ge, middle))) <= len(fewest):
            high = middle
        else:
            low = middle + 1
    even = _pack(pages, lambda data: data <= low and estimate(data) <= limit)
    return even if len(even) <= len(fewest) else fewest


def _pack(pages: list[EncodedPage], fits: Callable[[int], bool]) -> list[list[int]]:
    """Pages in order, a part taking pages while their bytes fit (and one page at least)."""
    groups: list[list[int]] = [[]]
    data = 0
    for index, page in enumerate(pages):
        if groups[-1] and not fits(data + len(page.data)):
            groups.append([])
            data = 0
        groups[-1].append(index)
        data += len(page.data)
    return groups
