"""A tiny container format: a JSON header and binary parts, in one byte string."""

from __future__ import annotations

import json
import struct
from collections.abc import Sequence
from typing import Any

_LEN = struct.Struct(">Q")


class FramingError(ValueError):
    pass


def frame(header: dict[str, Any], parts: Sequence[bytes]) -> bytes:
    head = json.dumps({**header, "_parts": [len(p) for p in parts]}).encode()
    return _LEN.pack(len(head)) + head + b"".join(parts)


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
