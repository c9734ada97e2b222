"""Log lines of one client's visit carry one random pseudonym, and the next visit another:
field support can follow a visit through the journal without learning whose it was."""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.services import eventlog
from kiosk.services.eventfile import recent_events
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
        # Straight to the handler: another test may have raised a logger's level.
        handler.handle(
            logging.LogRecord("kiosk.test", logging.WARNING, __file__, 1, "x", None, None)
        )
        found = recent_events(tmp_path / "state", 60)
        lines = [record for record in found if record["id"] == "log.warning"]
        assert len(lines) == 1, (found, list((tmp_path / "state").rglob("*")), handler.file)
        (line,) = lines
        assert line["session"] == handler.session
    finally:
        eventlog.uninstall()
