"""A tiny container format: a JSON header and binary parts, in one byte string (or in
pieces of it, for a writer that takes them one by one)."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator, Sequence
from typing import Any

_LEN = struct.Struct(">Q")
PIECE = 1 << 20  # bytes: a part goes out in views of this size, never copied whole


class FramingError(ValueError):
    pass


def frame(header: dict[str, Any], parts: Sequence[bytes]) -> bytes:
    return b"".join(pieces(header, parts))


def pieces(header: dict[str, Any], parts: Sequence[bytes]) -> Iterator[bytes | memoryview]:
    """The framed item of ``frame`` as its header, then views into the parts themselves:
    what is written (or sealed) piece by piece is never a copy of the parts in memory."""
    head = json.dumps({**header, "_parts": [len(p) for p in parts]}).encode()
    yield _LEN.pack(len(head)) + head
    for part in parts:
        view = memoryview(part)
        for start in range(0, len(view), PIECE):
            yield view[start : start + PIECE]


def unframe(blob: bytes) -> tuple[dict[str, Any], list[bytes]]:
    try:
        (size,) = _LEN.unpack_from(blob)
        header = json.loads(blob[_LEN.size : _LEN.size + size])
        offset = _LEN.size + size
        lengths = header.pop("_parts")
        parts = []
        for length in lengths:
            parts.append(blob[offset : offset + length])
            offset += length
    except (struct.error, ValueError, KeyError, TypeError) as err:
        raise FramingError(f"not a framed item: {err}") from err
    if offset != len(blob) or [len(p) for p in parts] != lengths:
        raise FramingError("framed item has the wrong length")
    return header, parts
