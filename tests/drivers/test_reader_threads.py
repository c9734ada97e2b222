"""Waiting for a backend's reader thread to end before the page's last line (see
drivers/scanner/reader_threads.py), with real threads standing in for the reader."""

from __future__ import annotations

import threading
import time

from drivers.scanner.reader_threads import Readers, threads


def _reader(runs_for: float, started: list[threading.Thread]) -> None:
    """A sane_start() that begins a reader thread, which ends ``runs_for`` seconds later."""
    reader = threading.Thread(target=time.sleep, args=(runs_for,), daemon=True)
    reader.start()
    started.append(reader)


def test_the_wait_ends_when_the_reader_started_with_the_page_has_ended() -> None:
    started: list[threading.Thread] = []
    readers = Readers(grace=5)
    readers.start(lambda: _reader(0.2, started))
    assert len(readers.began) == 1 and readers.began <= threads()
    began = time.monotonic()
    assert readers.wait_ended()
    assert not started[0].is_alive()  # ended, not just asked: the kernel's task is gone
    assert 0.1 < time.monotonic() - began < 4


def test_threads_that_were_there_before_the_start_are_not_waited_for() -> None:
    before: list[threading.Thread] = []
    _reader(3, before)  # the worker's own threads (the sender), a backend's event loop
    readers = Readers(grace=5)
    readers.start(lambda: None)
    began = time.monotonic()
    assert readers.began == frozenset() and readers.wait_ended()
    assert time.monotonic() - began < 0.1 and before[0].is_alive()


def test_a_reader_that_waits_to_be_cancelled_costs_the_grace_once_per_batch() -> None:
    started: list[threading.Thread] = []
    readers = Readers(grace=0.3)
    readers.start(lambda: _reader(10, started))
    began = time.monotonic()
    assert not readers.wait_ended()
    assert time.monotonic() - began >= 0.3
    readers.start(lambda: _reader(10, started))  # the batch's next page
    began = time.monotonic()
    assert readers.wait_ended() and time.monotonic() - began < 0.1
