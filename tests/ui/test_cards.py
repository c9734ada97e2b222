"""Cards at the camera and the USB reader, through the real camera feed and code reader,
into the session: a case to confirm, a refusal with its reason, staff mode; the live
preview on identify, gone with the session."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from drivers.camera.feed import CameraFeed
from drivers.camera.frames import FrameListSource
from drivers.camera.preview import CameraState
from drivers.codes.reader import CombinedReader
from kiosk.core import cards
from kiosk.core.card_signing import PREFIX_STAFF, sign
from kiosk.core.records import replace
from kiosk.services.codes import CardOutcome
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter import intents as do
from kiosk.ui.screens.identify import IdentifyScreen
from kiosk.ui.screens.staff import StaffScreen
from tests import codes_synth as synth
from tests.drivers.test_code_watch import CLEAR
from tests.ui.driver import Ui, make_backend

STAFF_KEY = b"s" * 32
WAIT = 30_000


def frames_of(payload: str | None, count: int = 4) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    if payload is None:
        return [synth.empty_frame(rng) for _ in range(count)]
    return [synth.card_frame(rng, payload, CLEAR)[0] for _ in range(count)]


def camera(payload: str | None) -> CameraFeed:
    """The real feed and reader on a camera that shows the same picture over and over."""
    source = FrameListSource(frames_of(payload), fps=15, loop=True, live=True)
    return CameraFeed(source, CombinedReader(), preview_fps=30)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    path = tmp_path / "inbox"
    path.mkdir()
    return path


def identify(ui: Ui) -> IdentifyScreen:
    screen = ui.window.screens["identify"]
    assert isinstance(screen, IdentifyScreen)
    return screen


def test_a_card_shown_on_the_start_screen_is_read_back_for_confirmation(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    ui = Ui(qtbot, make_backend(sane_config, inbox, []), catalogs, camera("12345//0012345"))
    try:
        qtbot.waitUntil(lambda: ui.phase == "confirm", timeout=WAIT)
        assert ui.shows("12345 BG 0012345")
        ui.press("Ja, das ist meine Nummer")
        assert ui.phase == "concern"
    finally:
        ui.close()


def test_a_foreign_code_is_refused_with_the_reason_in_the_clients_language(
    ui: Ui, catalogs: dict[str, Texts]
) -> None:
    ui.press("Українська")
    ui.presenter.code_read("https://shop.example/offer?id=99")  # a USB code reader
    ui.idle()
    assert ui.phase == "identify"
    assert ui.shows(catalogs["uk"].gettext(cards.REASON_NOT_OURS))
    ui.presenter.code_read("12345BG0012345")  # the right card next: the reason goes
    ui.idle()
    assert ui.phase == "confirm"
    assert not ui.shows(catalogs["uk"].gettext(cards.REASON_NOT_OURS))


def test_codes_are_ignored_where_no_card_belongs(ui: Ui) -> None:
    ui.presenter.code_read("12345BG0012345")
    ui.idle()
    ui.press("Ja, das ist meine Nummer")
    ui.presenter.code_read("99999BG0099999")  # someone else's card on the concern screen
    ui.idle()
    session = ui.presenter.session
    assert session.phase.value == "concern"
    assert session.case is not None and session.case.value == "12345BG0012345"


def test_the_live_preview_shows_on_identify_and_is_gone_after_the_session(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    feed = camera(None)
    ui = Ui(qtbot, make_backend(sane_config, inbox, []), catalogs, feed)
    try:
        ui.press("English")
        ui.press("Start")
        screen = identify(ui)
        assert screen.camera.isVisible()
        qtbot.waitUntil(lambda: screen.preview.frame is not None, timeout=WAIT)
        assert ui.shows("Hold the QR code inside the frame.")
        ui.press("Start again")
        assert ui.phase == "idle"
        assert screen.preview.frame is None and screen.preview._image is None  # noqa: SLF001
        assert feed.loop is not None
        decoded = feed.loop.stats.decoded
        qtbot.wait(300)  # on the start screen the camera still reads (a card starts a session)
        assert feed.loop.stats.decoded > decoded
        assert screen.preview.frame is None  # but no picture is shown there
    finally:
        ui.close()


def test_the_camera_rests_where_no_card_belongs(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    feed = camera(None)
    ui = Ui(qtbot, make_backend(sane_config, inbox, []), catalogs, feed)
    try:
        ui.presenter.code_read("12345BG0012345")
        ui.idle()
        ui.press("Ja, das ist meine Nummer")
        assert feed.loop is not None
        qtbot.wait(200)  # a frame being decoded when the screen changed may still finish
        decoded = feed.loop.stats.decoded
        qtbot.wait(300)
        assert feed.loop.stats.decoded == decoded
    finally:
        ui.close()


def test_a_camera_that_stops_says_so_and_the_keypad_still_works(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    feed = CameraFeed(FrameListSource(frames_of(None, 2)), CombinedReader())  # plays out
    ui = Ui(qtbot, make_backend(sane_config, inbox, []), catalogs, feed)
    try:
        ui.press("English")
        ui.press("Start")
        broken = CameraState.DISCONNECTED
        qtbot.waitUntil(lambda: ui.presenter.cards.camera_state is broken, timeout=WAIT)
        assert ui.shows("The camera is not working right now. Please type your number.")
        assert not identify(ui).preview.isVisible()
        for key in "12345BG0012345":
            identify(ui).type(key)
        ui.press("Next")
        assert ui.phase == "confirm"
    finally:
        ui.close()


def test_a_slow_card_lookup_shows_checking_and_a_cancel_drops_its_answer(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    backend = make_backend(sane_config, inbox, [])
    release = threading.Event()
    real = backend.read_code

    def slow(text: str) -> CardOutcome:  # the job centre's lookup server, slow today
        release.wait(WAIT / 1000)
        return real(text)

    backend.read_code = slow  # type: ignore[method-assign]
    ui = Ui(qtbot, backend, catalogs)
    try:
        ui.press("English")
        ui.press("Start")
        ui.presenter.code_read("12345BG0012345")
        assert ui.shows("Checking your card ...")
        ui.presenter.code_read("99999BG0099999")  # a second card meanwhile: one at a time
        ui.press("Start again")  # the client gives up and leaves
        release.set()
        ui.idle()
        assert ui.phase == "idle" and ui.presenter.session.case is None
        assert not ui.shows("Checking your card ...")
    finally:
        release.set()
        ui.close()


def test_a_card_shown_while_a_refused_code_is_checked_is_read_next(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    """The camera reports a code once while it stays in view: one that comes in while
    another is being checked is not dropped, it is read once that one is refused."""
    backend = with_staff_key(sane_config, inbox)
    release = threading.Event()
    real = backend.read_code  # type: ignore[attr-defined]

    def slow(text: str) -> CardOutcome:
        if not text.startswith(PREFIX_STAFF):
            release.wait(WAIT / 1000)
        return real(text)

    backend.read_code = slow  # type: ignore[attr-defined]
    ui = Ui(qtbot, backend, catalogs)
    try:
        ui.presenter.code_read("K7M-4QX-9TB")  # a receipt's QR code: not a card
        ui.presenter.code_read(staff_card())  # the staff card right behind it
        assert ui.presenter.cards.checking and ui.phase == "idle"
        release.set()
        qtbot.waitUntil(lambda: ui.phase == "staff", timeout=WAIT)
    finally:
        release.set()
        ui.close()


def with_staff_key(sane_config: Path, inbox: Path) -> object:
    backend = make_backend(sane_config, inbox, [])
    backend.station.kiosk = replace(
        backend.station.kiosk, card_rules=cards.CardRules(staff_key=STAFF_KEY)
    )
    return backend


def staff_card() -> str:
    return sign(PREFIX_STAFF, "field-support-7", date.today(), STAFF_KEY)


def test_a_staff_card_opens_staff_mode_with_the_kiosks_state(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    feed = camera(staff_card())
    ui = Ui(qtbot, with_staff_key(sane_config, inbox), catalogs, feed)
    try:
        qtbot.waitUntil(lambda: ui.phase == "staff", timeout=WAIT)
        ui.press("English")
        screen = ui.window.screens["staff"]
        assert isinstance(screen, StaffScreen)
        qtbot.waitUntil(lambda: screen.values[0].text().startswith("demo-kiosk"), timeout=WAIT)
        assert ui.shows("Staff mode")
        shown = {n.text(): v.text() for n, v in zip(screen.names, screen.values, strict=True)}
        assert shown["Scanner"] == "test:0 · working"
        assert shown["Card camera"] == "working"
        assert shown["Waiting to be sent"] == "0"
        ui.press("Restart the kiosk program")
        assert ui.quits == 1
        ui.press("Close staff mode")
        assert ui.phase == "idle"
    finally:
        ui.close()


def test_a_staff_card_does_not_throw_a_client_out(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    ui = Ui(qtbot, with_staff_key(sane_config, inbox), catalogs)
    try:
        ui.presenter.code_read("12345BG0012345")
        ui.idle()
        assert ui.phase == "confirm"
        ui.presenter.code_read(staff_card())  # the USB reader, while the client confirms
        ui.idle()
        assert ui.phase == "confirm"
        ui.press("Nein, ändern")
        ui.presenter.code_read(staff_card())  # on identify, with nothing of the client kept
        ui.idle()
        assert ui.phase == "staff"
        assert ui.presenter.session.case is None
    finally:
        ui.close()


def test_quit_is_only_for_staff(ui: Ui) -> None:
    ui.window.intent.emit(do.QuitKiosk())
    assert ui.quits == 0


def test_staff_keys_close_or_quit_in_staff_mode_only(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    from PySide6.QtCore import Qt

    ui = Ui(qtbot, with_staff_key(sane_config, inbox), catalogs)
    try:
        ui.press("English")
        for key, mods in ((Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                          (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)):  # fmt: skip
            qtbot.keyClick(ui.window, key, mods)
        assert (ui.phase, ui.quits) == ("identify", 0)  # a client: nothing happens
        ui.presenter.code_read(staff_card())
        ui.idle()
        assert ui.phase == "staff"
        qtbot.keyClick(ui.window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        assert ui.quits == 1
        qtbot.keyClick(ui.window, Qt.Key.Key_Escape)
        assert ui.phase == "idle"
    finally:
        ui.close()
