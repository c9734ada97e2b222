"""What the kiosk and its scan worker say to each other: one frozen dataclass per message.

The parent hands the worker one job, as the process's argument (``ListDevices``,
``Describe`` or ``Scan``). The worker answers over one pipe, in order:

- ``Alive`` whenever it had nothing else to send for a heartbeat, from first to last;
- for ``ListDevices``: ``Devices``, then ``Done``; for ``Describe``: ``Described``, then
  ``Done``;
- for ``Scan``: ``Configured``, then per page a ``PageHeader`` followed by the page's
  pixels, then ``Failed`` or ``Done``;
- ``Failed`` instead, whenever something went wrong.

The pixels are in no message: they follow their ``PageHeader`` as one raw bytes message
(``Connection.send_bytes`` of python-sane's buffer), which the parent reads chunk by chunk
into its own buffer. A 26 MB page is never pickled or copied on either side.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from drivers.scanner.protocol import Capabilities, ColorMode, DeviceInfo, NotSet, ScanRequest
from kiosk.core.faults import Fault

# -- jobs: parent -> worker ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListDevices:
    """Which devices SANE sees."""


@dataclass(frozen=True, slots=True)
class Describe:
    """What one device can do."""

    device: str


@dataclass(frozen=True, slots=True)
class Scan:
    """Scan one batch."""

    request: ScanRequest


Job = ListDevices | Describe | Scan


# -- messages: worker -> parent -----------------------------------------------------------


class Step(StrEnum):
    """What the worker is doing, in its heartbeats."""

    OPENING = "opening"  # sane_init, sane_open (and the whole of a ListDevices/Describe)
    CONFIGURING = "configuring"  # setting source, mode, resolution, geometry
    STARTING = "starting"  # page options, sane_start (the feeder pulls a sheet), parameters
    READING = "reading"  # snap(): ``lines`` counts the lines read so far
    CLOSING = "closing"  # sane_cancel, sane_close


@dataclass(frozen=True, slots=True)
class Alive:
    """The heartbeat: the worker runs, and this is what it is doing. Pages count from 1
    (0: before the first)."""

    step: Step
    page: int = 0
    lines: int = 0


@dataclass(frozen=True, slots=True)
class Configured:
    """The device is open and set up; ``dpi`` is the resolution it really scans at;
    ``not_set``: what of the request it has no option for (scanned as the device does)."""

    dpi: int
    not_set: tuple[NotSet, ...] = ()


@dataclass(frozen=True, slots=True)
class PageHeader:
    """One page is complete; its pixels are the next bytes message on the pipe."""

    width: int
    height: int
    mode: ColorMode
    dpi: int


@dataclass(frozen=True, slots=True)
class Failed:
    """The job stopped; for a scan, the pages sent before stay valid."""

    fault: Fault
    detail: str


@dataclass(frozen=True, slots=True)
class Devices:
    """The answer to ``ListDevices``."""

    devices: tuple[DeviceInfo, ...]


@dataclass(frozen=True, slots=True)
class Described:
    """The answer to ``Describe``."""

    capabilities: Capabilities


@dataclass(frozen=True, slots=True)
class Done:
    """The job ended normally; nothing follows."""


# Everything but the heartbeat: what the parent's watchdog hands on.
Reply = Configured | PageHeader | Failed | Devices | Described | Done
Message = Alive | Reply
MESSAGE_TYPES: tuple[type[Message], ...] = (
    Alive,
    Configured,
    PageHeader,
    Failed,
    Devices,
    Described,
    Done,
)
