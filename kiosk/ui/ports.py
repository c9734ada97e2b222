"""Qt-free seams the UI is given from outside (drivers implement them structurally)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class CodeSource(Protocol):
    """Something that reads codes (a QR customer card at the camera) and calls back.

    ``on_text`` may be called from any thread, with the decoded text; the presenter
    brings it to the GUI thread and feeds ``CaseEntered(raw=text)`` to the session.
    drivers/camera.py + drivers/code_reader.py (another branch) will provide one.
    """

    def start(self, on_text: Callable[[str], None]) -> None: ...

    def stop(self) -> None: ...
