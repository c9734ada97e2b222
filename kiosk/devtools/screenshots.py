"""Renders every screen in every language to SCREEN-LANG.png, and a contact sheet."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PIL import Image
from PySide6.QtWidgets import QApplication

from drivers.camera.preview import Hint
from kiosk.core.session import LANGUAGES
from kiosk.devtools.desk_samples import desk_sample
from kiosk.devtools.records_samples import RECORD_SCREENS, sample_records
from kiosk.devtools.review_samples import review_sample
from kiosk.devtools.samples import CAMERA, SCREENS, sample_pages, sample_preview, session_for
from kiosk.services.config import KioskConfig
from kiosk.services.status import StaffStatus
from kiosk.ui.i18n.texts import PSEUDO, Texts, load_texts
from kiosk.ui.presenter.staff_pin import WRONG
from kiosk.ui.presenter.view import Diagnostics, PinEntry, Settings, View
from kiosk.ui.screens.identify import IdentifyScreen
from kiosk.ui.widgets.site import Look, look_of
from kiosk.ui.widgets.theme import SCREEN
from kiosk.ui.window import Window


def view_for(
    name: str,
    texts: Texts,
    catalogs: dict[str, Texts],
    large: bool = False,
    look: Look = Look(),  # noqa: B008 - frozen
) -> View:
    session, count = session_for(name, texts.language)
    pages = sample_pages(count)
    view = View(
        session=session,
        texts=texts,
        pages=pages,
        explained=name != "explain",
        opened_page=pages[1].page_id if name == "page-large" else None,
        seconds_left=17 if name == "timeout" else None,
        settings=Settings(large_text=large),
        catalogs=catalogs,
        camera=CAMERA.get(name),
        staff=SAMPLE_STAFF if name in ("staff", "staff-office", "staff-timeout") else None,
        diagnostics=sample_diagnostics() if name == "diagnostics" else None,
        pin_entry=PinEntry(digits=3, message=WRONG, count=2) if name == "staff-pin" else None,
        staff_page=RECORD_SCREENS.get(name),
        records=sample_records(name),
        kiosk_id=SAMPLE_STAFF.kiosk_id,
        theme=look.theme,
        site=look.site,
    )
    view = review_sample(name, view)  # pages the page pipeline flagged, the page limit
    return desk_sample(name, view)  # staff mode's role, pages and notices


SAMPLE_STAFF = StaffStatus(
    kiosk_id="duesseldorf-mitte-01",
    version="0.1.0",
    scanner="fujitsu:fi-7160:12345",
    scanner_ok=True,
    storage_ok=True,
    free_mb=48_210,
    pending=2,
    held=1,
    quarantined=0,
    oldest_pending="2025-03-14 09:58",
    last_error="HTTP 503 from inbox.jobcenter.local",
)


def sample_diagnostics() -> Diagnostics:
    """What the diagnostics page shows on a kiosk with one broken inbox (made up)."""
    from kiosk.diag import Check, Status

    ok, warn, fail = Status.PASS, Status.WARN, Status.FAIL
    checks = (
        Check("identity", ok, "kiosk duesseldorf-mitte-01; version 0.1.0; config 3f9a2c41"),
        Check("storage", ok, "/var/lib/kiosk: 48210 MB free"),
        Check("scanner", ok, "fujitsu:fi-7160:12345 found (configured: auto)"),
        Check("outbox", warn, "2 waiting (oldest 41 min), 1 held, 0 unreadable",
              "see `kiosk outbox list`; the delivery check below says why"),
        Check("client-certificate", ok, "/etc/kiosk/tls/client.pem: expires in 212 days"),
        Check("delivery:triage", ok, "webdavs://dms.jobcenter.local: DNS, TCP, TLS, "
              "server certificate expires in 187 days; PROPFIND HTTP 207"),
        Check("delivery:leistung-1", fail, "webdavs://dms2.jobcenter.local: TCP connection "
              "refused (port 443)", "is the inbox server running? ask its administrator"),
        Check("clock", ok, "NTP synchronised (timedatectl)"),
        Check("clock:skew", ok, "1 s ahead of dms.jobcenter.local (its HTTP Date, ±1 s)"),
        Check("printer", ok, "receipt printer kiosk-80mm: idle, accepting jobs"),
        Check("services:kiosk-deliver", ok, "kiosk-deliver.service: active (running) for 3 h"),
        Check("events", warn, "2 errors in 24 h: delivery.failed ×2", "see the delivery checks"),
        Check("camera", ok, "the card camera delivers frames"),
    )  # fmt: skip
    test = Check("scan-test", ok, "1 page, 2480x3508 px, mean brightness 251; no streaks")
    return Diagnostics(checks=checks, checked_at="10:42:17", test=test)


def show(window: Window, name: str, view: View) -> None:
    window.wipe()
    identify = window.screens["identify"]
    if name == "identify" and isinstance(identify, IdentifyScreen):
        identify.type("12345BG00")  # live grouping, half typed
    window.show_view(view)
    if name in ("identify-camera", "card-refused"):
        window.show_preview(sample_preview(Hint.STILL if name == "identify-camera" else Hint.SHOW))
    for _ in range(3):  # layouts settle over a few passes (nested height-for-width)
        QApplication.processEvents()


def render_all(
    directory: Path,
    languages: Iterable[str] | None = None,
    sheet: Path | None = None,
    size: tuple[int, int] = SCREEN,
    config: KioskConfig | None = None,
    screens: Iterable[str] | None = None,
) -> list[Path]:
    """``screens``: these of SCREENS only (e.g. staff mode's, for docs/staff.md)."""
    app = QApplication.instance() or QApplication([])
    names = [name for name in SCREENS if screens is None or name in set(screens)]
    look = look_of(config)
    directory.mkdir(parents=True, exist_ok=True)
    chosen = list(languages or [*LANGUAGES, PSEUDO])
    window = Window(kiosk_mode=False)
    window.setFixedSize(*size)
    window.show()
    written: list[Path] = []
    for language in chosen:
        texts = load_texts(language)
        catalogs = {lang: (texts if language == PSEUDO else load_texts(lang)) for lang in LANGUAGES}
        for name in names:
            show(window, name, view_for(name, texts, catalogs, look=look))
            path = directory / f"{name}-{language}.png"
            window.grab().save(str(path))
            written.append(path)
    window.close()
    del app
    if sheet is not None:
        contact_sheet(written, sheet, columns=len(names), size=size)
    return written


def contact_sheet(
    paths: list[Path],
    target: Path,
    columns: int,
    width: int = 240,
    size: tuple[int, int] = SCREEN,
) -> None:
    """One PNG with every screenshot small: rows are languages, columns screens."""
    height = round(width * size[1] / size[0])
    rows = (len(paths) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * (width + 6) + 6, rows * (height + 6) + 6), "#d0d4d8")
    for i, path in enumerate(paths):
        with Image.open(path) as shot:
            small = shot.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
        row, column = divmod(i, columns)
        sheet.paste(small, (6 + column * (width + 6), 6 + row * (height + 6)))
    target.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(target, optimize=True)
