"""The receipt printer: a CUPS queue, driven through CUPS's own ``lp``, ``lpstat`` and ``cancel``.

One job is one call of ``print_pdf``, bounded by a total deadline: the queue's state is
asked first (a stopped queue or an empty paper roll fails at once, nothing is sent), the PDF
goes to ``lp`` on its standard input (no file of it anywhere outside CUPS's own spool), then
the job is watched until it has left the queue. A job that has not printed by the deadline,
or that meets a stopped queue or an empty roll on the way, is cancelled with its files
(``cancel -x``), so it cannot come out later in front of the next client.

The programs speak English in the C locale (``LC_ALL=C``): their words are parsed. They
find the CUPS server as every CUPS client does (``CUPS_SERVER``, client.conf, the local
socket).

What the tools cannot tell: once a job has left the queue, ``lpstat`` does not say whether
it completed or was aborted by the driver. CUPS's default error policy (``stop-printer``)
stops the queue when a driver fails, and that is seen; a queue set to ``abort-job`` would
lose a failed job without a word, so the kiosk's queue keeps the default.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from kiosk.core.log_events import emit

log = logging.getLogger(__name__)

_REQUEST_ID = re.compile(r"request id is (\S+)", re.IGNORECASE)
_PRINTER_LINE = re.compile(r"^printer (\S+) (.*)$")
_NO_PAPER = ("media-empty", "media-needed")
_SHORTEST_CALL = 1.0  # seconds a program gets even when the deadline is nearly used up


class PrintFault(StrEnum):
    """Why a receipt did not print, as staff are told (never the client: their screen is calm)."""

    GONE = "gone"  # no such queue, or no CUPS scheduler to ask
    STOPPED = "stopped"  # the queue is disabled or refuses jobs (staff, or CUPS after a failure)
    NO_PAPER = "no-paper"  # the printer says its paper is out
    TIMEOUT = "timeout"  # not printed within the deadline: the job was cancelled
    FAILED = "failed"  # anything else (lp failed, a program is missing)


class PrintFailed(Exception):
    def __init__(self, fault: PrintFault, detail: str) -> None:
        super().__init__(f"{fault.value}: {detail}")
        self.fault = fault
        self.detail = detail


class Printer(Protocol):
    @property
    def name(self) -> str:
        """The queue, for staff and logs."""
        ...

    def print_pdf(self, pdf: bytes, title: str) -> None:
        """Print one PDF; returns once it has printed, raises PrintFailed otherwise. Blocks
        (at most its deadline): call it off the GUI thread."""
        ...

    def problem(self) -> str | None:
        """What stops the printer now (staff words), or None when it can print."""
        ...


@dataclass(frozen=True)
class QueueState:
    """What ``lpstat -l -p QUEUE -a QUEUE`` says of a queue."""

    exists: bool
    enabled: bool = False
    accepting: bool = False
    reasons: tuple[str, ...] = ()  # printer-state-reasons ("media-empty-error", "paused")
    message: str = ""  # the line under a disabled or refusing queue (its reason)

    def fault(self) -> PrintFault | None:
        if not self.exists:
            return PrintFault.GONE
        if any(reason.startswith(_NO_PAPER) for reason in self.reasons):
            return PrintFault.NO_PAPER  # also a stopped queue: this is the reason to tell
        if not (self.enabled and self.accepting):
            return PrintFault.STOPPED
        if any(_stops(reason) for reason in self.reasons):
            return PrintFault.STOPPED
        return None

    def describe(self) -> str:
        words = []
        if self.exists:
            words.append("enabled" if self.enabled else "disabled")
            words.append("accepting jobs" if self.accepting else "not accepting jobs")
        else:
            words.append("no such queue")
        if self.reasons:
            words.append("reasons: " + " ".join(self.reasons))
        if self.message:
            words.append(f"({self.message})")
        return ", ".join(words)


def _stops(reason: str) -> bool:
    """An IPP printer-state-reason that keeps jobs from printing: the "-error" ones, and a
    queue paused (disabled)."""
    return reason.endswith("-error") or reason == "paused"


def parse_queue_state(queue: str, out: str) -> QueueState:
    """The words of ``LC_ALL=C lpstat -l -p QUEUE -a QUEUE`` (``out``: its standard output)."""
    exists = enabled = accepting = False
    reasons: tuple[str, ...] = ()
    message = ""
    lines = out.splitlines()
    for number, line in enumerate(lines):
        following = lines[number + 1] if number + 1 < len(lines) else ""
        indented = following.startswith("\t") and ":" not in following
        if (found := _PRINTER_LINE.match(line)) and found.group(1) == queue:
            exists = True
            enabled = not found.group(2).startswith("disabled")
            if not enabled and indented:
                message = following.strip()
        elif line.startswith(f"{queue} accepting requests"):
            accepting = True
        elif line.startswith(f"{queue} not accepting requests"):
            accepting = False
            if indented:
                message = message or following.strip()
        elif line.strip().startswith("Alerts:"):
            words = line.split(":", 1)[1].split()
            reasons = tuple(word for word in words if word != "none")
    return QueueState(exists, enabled, accepting, reasons, message)


Run = Callable[..., "subprocess.CompletedProcess[bytes]"]


class CupsPrinter:
    """A CUPS queue on this machine's CUPS (or the one ``CUPS_SERVER`` names)."""

    def __init__(
        self,
        queue: str,
        *,
        deadline: float = 30.0,
        options: Sequence[str] = (),
        poll: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
        run: Run = subprocess.run,
    ) -> None:
        self.queue = queue
        self.deadline = deadline
        self.options = tuple(options)
        self.poll = poll
        self.clock = clock
        self._run = run

    @property
    def name(self) -> str:
        return self.queue

    # -- the job -----------------------------------------------------------------------

    def print_pdf(self, pdf: bytes, title: str) -> None:
        ends = self.clock() + self.deadline
        self._ready(ends)
        job = self._submit(pdf, title, ends)
        try:
            self._wait(job, ends)
        except BaseException:
            self._cancel(job)
            raise

    def _ready(self, ends: float) -> QueueState:
        state = self.state(ends)
        fault = state.fault()
        if fault is not None:
            raise PrintFailed(fault, f"queue {self.queue}: {state.describe()}")
        return state

    def _submit(self, pdf: bytes, title: str, ends: float) -> str:
        command = ["lp", "-d", self.queue, "-t", title]
        for option in self.options:
            command += ["-o", option]
        command.append("-")  # the PDF on standard input
        done = self._call(command, ends, data=pdf)
        said = _text(done.stdout) + _text(done.stderr)
        found = _REQUEST_ID.search(said)
        if done.returncode == 0 and found:
            return found.group(1)
        why = _last_line(done.stderr) or _last_line(done.stdout) or f"exit {done.returncode}"
        lowered = why.lower()
        if "does not exist" in lowered or "not responding" in lowered or "unable to" in lowered:
            raise PrintFailed(PrintFault.GONE, f"lp: {why}")
        if "not accepting" in lowered:
            raise PrintFailed(PrintFault.STOPPED, f"lp: {why}")
        raise PrintFailed(PrintFault.FAILED, f"lp: {why}")

    def _wait(self, job: str, ends: float) -> None:
        """Until ``job`` has left the queue; fails early when the queue stops or the paper
        runs out, and at the deadline."""
        while True:
            if job not in self._active_jobs(ends):
                state = self.state(ends)
                fault = state.fault()
                if fault is not None:  # it left, but the printer stopped: not printed
                    raise PrintFailed(fault, f"queue {self.queue}: {state.describe()}")
                return
            state = self.state(ends)
            fault = state.fault()
            if fault is not None:
                raise PrintFailed(fault, f"job {job} waits: {state.describe()}")
            if self.clock() + self.poll >= ends:
                raise PrintFailed(
                    PrintFault.TIMEOUT,
                    f"job {job} not printed within {self.deadline:g} s ({state.describe()})",
                )
            time.sleep(self.poll)

    def _active_jobs(self, ends: float) -> set[str]:
        done = self._call(["lpstat", "-o", self.queue], ends)
        return {line.split()[0] for line in _text(done.stdout).splitlines() if line.strip()}

    def _cancel(self, job: str) -> None:
        """The job and its files go: it must not print later for someone else."""
        try:
            done = self._call(["cancel", "-x", job], self.clock() + 5.0)
        except PrintFailed as err:
            emit(log, "printer.cancel_failed", queue=self.queue, job=job, detail=str(err))
            return
        if done.returncode != 0:
            why = _last_line(done.stderr)
            emit(log, "printer.cancel_failed", queue=self.queue, job=job, detail=why)

    # -- the queue ---------------------------------------------------------------------

    def state(self, ends: float | None = None) -> QueueState:
        until = ends if ends is not None else self.clock() + 10.0
        done = self._call(["lpstat", "-l", "-p", self.queue, "-a", self.queue], until)
        if done.returncode != 0:
            return QueueState(exists=False, message=_last_line(done.stderr))
        return parse_queue_state(self.queue, _text(done.stdout))

    def problem(self) -> str | None:
        try:
            state = self.state()
        except PrintFailed as err:
            return err.detail
        fault = state.fault()
        return None if fault is None else f"{fault.value}: {state.describe()}"

    # -- the programs ------------------------------------------------------------------

    def _call(
        self, command: list[str], ends: float, data: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        program = shutil.which(command[0])
        if program is None:
            raise PrintFailed(PrintFault.FAILED, f"{command[0]} not found (Debian: cups-client)")
        left = max(_SHORTEST_CALL, ends - self.clock())
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        try:
            return self._run(
                [program, *command[1:]],
                input=data if data is not None else b"",
                capture_output=True,
                timeout=left,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PrintFailed(
                PrintFault.TIMEOUT, f"{command[0]} did not answer within {left:.0f} s"
            ) from None
        except OSError as err:
            raise PrintFailed(PrintFault.FAILED, f"{command[0]}: {err.strerror}") from None


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", errors="replace")


def _last_line(data: bytes | None) -> str:
    lines = _text(data).strip().splitlines()
    return lines[-1].strip() if lines else ""


class RecordingPrinter:
    """A Printer for tests: keeps what it printed; ``fault`` makes every job fail so."""

    def __init__(self, fault: PrintFault | None = None, name: str = "test-queue") -> None:
        self.fault = fault
        self._name = name
        self.printed: list[tuple[bytes, str]] = []

    @property
    def name(self) -> str:
        return self._name

    def print_pdf(self, pdf: bytes, title: str) -> None:
        if self.fault is not None:
            raise PrintFailed(self.fault, "recorded failure")
        self.printed.append((pdf, title))

    def problem(self) -> str | None:
        return None if self.fault is None else self.fault.value
