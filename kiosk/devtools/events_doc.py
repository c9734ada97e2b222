"""Writes docs/events.md from the event catalogue: ``python -m kiosk.devtools.events_doc``."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.log_events import markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def write(path: Path = DOC) -> Path:
    path.write_text(markdown(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write())
