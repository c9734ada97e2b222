"""Log lines of one client's visit carry one random pseudonym, and the next visit another:
field support can follow a visit through the journal without learning whose it was."""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.services import eventlog
from tests.ui.driver import Ui


def test_each_visit_has_its_own_session_pseudonym(ui: Ui, tmp_path: Path) -> None:
    handler = eventlog.install("test-kiosk", tmp_path / "state")
    try:
        assert handler.session == ""
        ui.press("English")
        first = handler.session
        assert first.startswith("s-") and len(first) == 14
        ui.press("Start")
        assert handler.session == first  # the same visit
        ui.press("Start again")
        assert ui.phase == "idle" and handler.session == ""  # nobody at the kiosk
        ui.press("Deutsch")
        assert handler.session.startswith("s-") and handler.session != first
        written: list[dict[str, object]] = []  # what the event file would be given

        class Lines:
            def append(self, line: dict[str, object]) -> None:
                written.append(line)

        handler.file = Lines()  # type: ignore[assignment]
        # Straight to the handler: another test may have raised a logger's level.
        handler.handle(
            logging.LogRecord("kiosk.test", logging.WARNING, __file__, 1, "x", None, None)
        )
        (line,) = written
        assert line["id"] == "log.warning" and line["session"] == handler.session
    finally:
        eventlog.uninstall()
