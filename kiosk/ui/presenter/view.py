"""What a screen renders: the core session plus the presenter's display state (no logic)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
from msgspec import Struct
from PySide6.QtGui import QImage

from drivers.camera.preview import CameraState
from kiosk.core.session import LANGUAGES, Phase, Session
from kiosk.services.assets.theme import Fonts, Palette, Theme
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter.pagenote import PageNote
from kiosk.ui.widgets.theme import SHIPPED

# kiosk.diag loads only when staff open the diagnostics page; the staff records (the
# station, the spool) only in staff mode: neither is on the start screen's first paint.
if TYPE_CHECKING:
    from kiosk.core.staff import Role
    from kiosk.diag.check import Check
    from kiosk.services.status import StaffStatus
    from kiosk.ui.presenter.staff_bundle import BundlePage
    from kiosk.ui.presenter.staff_out_of_order import OutOfOrderPage
    from kiosk.ui.presenter.staff_reboot import RebootPage
    from kiosk.ui.presenter.staff_records import Records
    from kiosk.ui.presenter.staff_settings import SettingsPage


@dataclass(frozen=True)
class PageView:
    page_id: str
    number: int  # 1-based, in the order the document will have
    rotation: int
    thumbnail: QImage = field(compare=False)  # already turned as the client turned it
    # The large picture: only for the page shown large, once decoded (None until then).
    preview: QImage | None = field(default=None, compare=False)
    note: PageNote = PageNote()  # seems empty, hard to read, turned upright; the question


class Settings(Struct, frozen=True):
    """Accessibility choices of the current client; back to default for the next one.

    Each is its own switch: large text sets the text sizes (``View.fonts``), high contrast
    the colours; one never brings the other along."""

    large_text: bool = False
    speech: bool = False
    high_contrast: bool = False


class Site(Struct, frozen=True):
    """The job centre on the start and receipt screens: its name ([kiosk] name) and its
    logo (logo.svg or logo.png in [kiosk] assets_dir)."""

    name: str = ""
    logo: Path | None = None


class Diagnostics(Struct, frozen=True):
    """Staff mode's diagnostics page: the checks of `kiosk diag` (None while they run), the
    last test scan, and where the readiness report went. Times are local, as staff read
    them."""

    checks: tuple[Check, ...] | None = None
    checked_at: str = ""
    test: Check | None = None  # the last test scan's result (with its time in the report)
    testing: bool = False
    saved: str | None = None  # where the readiness report was written
    save_failed: bool = False


class PinEntry(Struct, frozen=True):
    """A staff card's PIN being typed: how many digits (never which), and what the last
    check said (an untranslated message with its ``count`` or ``until``)."""

    digits: int = 0
    busy: bool = False  # being checked
    message: str | None = None
    count: int = 0  # tries left before a pause
    until: str = ""  # a lockout's end, local time
    refused: bool = False  # no PIN opens this card


class Printing(StrEnum):
    """The paper receipt, as the receipt screen tells it (None in the view: no printer)."""

    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"


class View(Struct, frozen=True):
    session: Session
    texts: Texts
    pages: tuple[PageView, ...] = ()
    source: str = "adf"  # the scanner's configured source: the picture to show
    explained: bool = False  # the client has seen the picture-led explanation
    opened_page: str | None = None  # a page shown large on the review screen
    dropped_blank: tuple[int, ...] = ()  # where pages flagged empty were taken out (drop_blank)
    seconds_left: int | None = None  # a timeout warning is showing
    settings: Settings = Settings()
    catalogs: Mapping[str, Texts] = msgspec.field(default_factory=dict)  # every language's texts
    camera: CameraState | None = None  # None: the kiosk has no card camera
    checking_card: bool = False  # a card's token is being looked up
    staff: StaffStatus | None = None  # what staff mode shows (None until checked)
    kiosk_id: str = ""  # [kiosk] id: staff read it off the out-of-order screen
    printing: Printing | None = None  # the paper receipt; None: no printer configured
    theme: Theme = SHIPPED  # the shipped colours and sizes, or the site's over them
    site: Site | None = None  # the job centre's name and logo; None: none configured
    diagnostics: Diagnostics | None = None  # staff mode's diagnostics page, while it is open
    pin_entry: PinEntry | None = None  # a staff card's PIN being typed
    staff_role: Role | None = None  # who is in staff mode: the buttons their role may use
    staff_page: str | None = None  # the staff page open (kiosk.ui.presenter.staff_pages)
    out_of_order_page: OutOfOrderPage | None = None  # staff mode's out-of-order page
    settings_page: SettingsPage | None = None  # staff mode's settings page
    reboot_page: RebootPage | None = None  # staff mode's reboot page
    bundle_page: BundlePage | None = None  # staff mode's support bundle page
    notice: str | None = None  # the out-of-order notice staff chose (msgid), on that screen
    records: Records | None = None  # held documents, today's report, "did it arrive?"

    @property
    def palette(self) -> Palette:
        return self.theme.palette(self.settings.high_contrast)

    @property
    def fonts(self) -> Fonts:
        # Large text is the client's choice for the client's screens: staff mode and its PIN
        # keep the normal sizes (their tables are for staff, who did not ask for it).
        staff = self.session.phase is Phase.STAFF or self.pin_entry is not None
        staff = staff or self.diagnostics is not None
        return self.theme.fonts(self.settings.large_text and not staff, self.texts.font_scale)

    def gettext(self, message: str) -> str:
        return self.texts.gettext(message)

    def in_every_language(self, message: str) -> list[tuple[str, str, Texts]]:
        """``message`` in every UI language, in the order of the language buttons:
        (text, language, that language's texts)."""
        found = []
        for language in LANGUAGES:
            own = self.catalogs.get(language, self.texts)
            found.append((own.gettext(message), language, own))
        return found
