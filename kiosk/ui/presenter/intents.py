"""What a client asks for on a screen (verbs); the presenter turns them into core events."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.concerns import Concern


@dataclass(frozen=True)
class ChooseLanguage:
    language: str


@dataclass(frozen=True)
class ToggleSpeech:
    pass


@dataclass(frozen=True)
class ToggleLargeText:
    pass


@dataclass(frozen=True)
class ToggleHighContrast:
    pass


@dataclass(frozen=True)
class BeginIdentify:
    """Leave the explanation for the number entry."""


@dataclass(frozen=True)
class EnterCase:
    raw: str


@dataclass(frozen=True)
class ConfirmCase:
    pass


@dataclass(frozen=True)
class RejectCase:
    pass


@dataclass(frozen=True)
class ChooseConcern:
    concern: Concern


@dataclass(frozen=True)
class Scan:
    pass


@dataclass(frozen=True)
class StopScan:
    pass


@dataclass(frozen=True)
class OpenPage:
    page_id: str


@dataclass(frozen=True)
class ClosePage:
    pass


@dataclass(frozen=True)
class DeletePage:
    page_id: str


@dataclass(frozen=True)
class RestorePage:
    """Undo the last delete."""


@dataclass(frozen=True)
class RotatePage:
    page_id: str


@dataclass(frozen=True)
class RescanPage:
    page_id: str


@dataclass(frozen=True)
class KeepPage:
    """The answer "Keep" to a page's question (seems empty, hard to read)."""

    page_id: str


@dataclass(frozen=True)
class AddPages:
    pass


@dataclass(frozen=True)
class Send:
    pass


@dataclass(frozen=True)
class Finish:
    pass


@dataclass(frozen=True)
class StartOver:
    pass


@dataclass(frozen=True)
class StillHere:
    pass


@dataclass(frozen=True)
class CheckPages:
    """To the review screen with the pages kept after a stop or a fault."""


@dataclass(frozen=True)
class LeaveStaff:
    """Staff close staff mode."""


@dataclass(frozen=True)
class CheckAgain:
    """Staff ask for the kiosk's state again (scanner, storage, outbox)."""


@dataclass(frozen=True)
class OpenDiagnostics:
    """Staff open the diagnostics page (the checks of `kiosk diag`)."""


@dataclass(frozen=True)
class CloseDiagnostics:
    """Back from the diagnostics page to staff mode's overview."""


@dataclass(frozen=True)
class TestScan:
    """Scan one sheet into memory and judge it (never routed, never stored)."""


@dataclass(frozen=True)
class SaveReport:
    """Write the readiness report (one PDF page) to a USB stick or the state dir."""


@dataclass(frozen=True)
class PinDigit:
    """A digit of a staff card's PIN."""

    digit: str


@dataclass(frozen=True)
class PinErase:
    """The PIN's last digit out."""


@dataclass(frozen=True)
class PinClear:
    """The PIN typed so far out."""


@dataclass(frozen=True)
class PinSubmit:
    """Check the PIN typed."""


@dataclass(frozen=True)
class PinCancel:
    """Leave the PIN page (back to the start or out-of-order screen)."""


@dataclass(frozen=True)
class OpenStaffPage:
    """Staff open a page of staff mode (kiosk.ui.presenter.staff_pages: its key)."""

    page: str


@dataclass(frozen=True)
class CloseStaffPage:
    """Back from a staff page to staff mode's overview."""


@dataclass(frozen=True)
class ChooseNotice:
    """Staff pick the notice clients see while the kiosk is out of order (its key)."""

    notice: str


@dataclass(frozen=True)
class PutOutOfOrder:
    """Staff put the kiosk out of order with the notice chosen."""


@dataclass(frozen=True)
class BackInService:
    """Staff put the kiosk back in service."""


@dataclass(frozen=True)
class ChangeSetting:
    """Staff change a local setting (kiosk.services.local_settings: key, value as text;
    "" puts it back to the central configuration)."""

    key: str
    value: str


@dataclass(frozen=True)
class ResetSettings:
    """Every local setting back to the central configuration."""


@dataclass(frozen=True)
class SaveBundle:
    """Field support write the support bundle to a USB stick (or the state dir)."""


@dataclass(frozen=True)
class Reboot:
    """Field support restart the PC (logind, allowed by the kiosk's polkit rule)."""


@dataclass(frozen=True)
class SendAgain:
    """Staff send a held document again (after a fix): by its outbox item id."""

    item_id: str


@dataclass(frozen=True)
class ReceiptKey:
    """A character of the receipt number typed on "Did it arrive?"."""

    char: str


@dataclass(frozen=True)
class ReceiptErase:
    """The receipt number's last character out."""


@dataclass(frozen=True)
class ReceiptClear:
    """The receipt number typed so far out."""


@dataclass(frozen=True)
class ReceiptLookup:
    """Look the typed receipt number up."""


@dataclass(frozen=True)
class QuitKiosk:
    """Staff end the kiosk program (its service manager starts it again)."""


Intent = (
    ChooseLanguage
    | ToggleSpeech
    | ToggleLargeText
    | ToggleHighContrast
    | BeginIdentify
    | EnterCase
    | ConfirmCase
    | RejectCase
    | ChooseConcern
    | Scan
    | StopScan
    | OpenPage
    | ClosePage
    | DeletePage
    | RotatePage
    | RescanPage
    | KeepPage
    | RestorePage
    | AddPages
    | Send
    | Finish
    | StartOver
    | StillHere
    | CheckPages
    | LeaveStaff
    | CheckAgain
    | OpenDiagnostics
    | CloseDiagnostics
    | TestScan
    | SaveReport
    | PinDigit
    | PinErase
    | PinClear
    | PinSubmit
    | PinCancel
    | OpenStaffPage
    | CloseStaffPage
    | ChooseNotice
    | PutOutOfOrder
    | BackInService
    | ChangeSetting
    | ResetSettings
    | Reboot
    | SaveBundle
    | SendAgain
    | ReceiptKey
    | ReceiptErase
    | ReceiptClear
    | ReceiptLookup
    | QuitKiosk
)
