"""Records: frozen value types, made with msgspec where they are on the start's path.

A ``dataclass`` costs 0.3-1.4 ms to define in Python 3.11 (its methods are generated as
source and compiled, one ``exec`` each); a ``msgspec.Struct`` is defined in C in ~15 us.
The records that ``kiosk run`` defines before its first paint (the configuration, the
start screen's view) are Structs for that: 42 dataclasses were 22 ms of a 190 ms first paint
(tests/bench/bench_cold_start.py). Everywhere else a dataclass is as good.

``replace`` copies either kind with some fields changed, so code that derives one record
from another does not need to know which kind it has.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from msgspec import Struct, structs

R = TypeVar("R")


def replace(record: R, /, **changes: Any) -> R:
    """``record`` with ``changes`` (a msgspec Struct or a dataclass instance)."""
    if isinstance(record, Struct):
        return structs.replace(record, **changes)
    return dataclasses.replace(record, **changes)  # type: ignore[type-var]
