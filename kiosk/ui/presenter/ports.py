"""Qt-free seams the UI is given from outside (drivers implement them structurally)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from drivers.camera.preview import CameraState, PreviewFrame


class CardCamera(Protocol):
    """The camera that reads QR customer cards (drivers.camera.feed.CameraFeed).

    Callbacks come from camera threads; the UI brings them to the GUI thread.
    """

    def start(
        self,
        on_text: Callable[[str], None],
        on_preview: Callable[[PreviewFrame], None],
        on_state: Callable[[CameraState], None],
    ) -> None: ...

    def set_active(self, active: bool) -> None: ...

    def reset(self) -> None: ...

    def stop(self) -> None: ...
