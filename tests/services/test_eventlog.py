"""The kiosk's log: journal datagrams (read back from a real AF_UNIX socket), stderr,
coalescing, and the event file's format, pruning and reader."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.core.log_events import emit
from kiosk.services import eventlog
from kiosk.services.eventfile import EventFile, event_files, recent_events
from kiosk.services.eventlog import EventHandler, install
from kiosk.services.journal import Journal, decode, encode, journal_wanted


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def journal_socket(tmp_path: Path) -> Iterator[tuple[Path, socket.socket]]:
    path = tmp_path / "journal.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    server.settimeout(5)
    yield path, server
    server.close()


def logger_with(handler: logging.Handler, name: str = "kiosk.test") -> logging.Logger:
    log = logging.getLogger(name)
    log.propagate = False
    log.handlers = [handler]
    log.setLevel(logging.INFO)
    return log


def test_a_value_with_a_line_break_uses_the_length_prefixed_form() -> None:
    data = encode({"MESSAGE": "two\nlines", "PRIORITY": "3"})
    assert data.startswith(b"MESSAGE\n" + (9).to_bytes(8, "little") + b"two\nlines\n")
    assert decode(data) == {"MESSAGE": "two\nlines", "PRIORITY": "3"}
    with pytest.raises(ValueError):
        encode({"bad name": "x"})


def test_events_reach_the_journal_socket_with_their_structured_fields(
    journal_socket: tuple[Path, socket.socket], state_dir: Path
) -> None:
    path, server = journal_socket
    handler = EventHandler("kiosk-07", state_dir, journal=Journal(path))
    handler.session = "s-0123456789ab"
    log = logger_with(handler)
    emit(log, "delivery.failed", item="ab12", attempts=3, delay_s=30, detail="refused",
         team="leistung-1", case_tag="case-0011223344556677")  # fmt: skip
    fields = decode(server.recv(65536))
    assert fields["MESSAGE"] == "delivery of ab12 failed (attempt 3), next in 30 s: refused"
    assert fields["PRIORITY"] == "4" and fields["SYSLOG_IDENTIFIER"] == "kiosk"
    assert fields["KIOSK_EVENT"] == "delivery.failed" and fields["KIOSK_ID"] == "kiosk-07"
    assert fields["KIOSK_SESSION"] == "s-0123456789ab" and fields["KIOSK_TEAM"] == "leistung-1"
    assert "KIOSK_CASE_TAG" not in fields  # journal text only, never a field of its own
    log.error("boom\nwith %s", "12345BG0012345")  # an uncatalogued record: scrubbed
    fields = decode(server.recv(65536))
    assert fields["MESSAGE"] == "boom\nwith [case]" and fields["PRIORITY"] == "3"
    handler.close()


def test_without_a_journal_lines_go_to_stderr_in_the_familiar_format(
    state_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = logger_with(EventHandler("k", state_dir, journal=Journal(state_dir / "no-socket")))
    emit(log, "service.started", path="/var/lib/kiosk/outbox")
    assert capsys.readouterr().err == "INFO kiosk.test: delivering from /var/lib/kiosk/outbox\n"


def test_repeats_within_a_minute_are_one_line_with_a_count(
    state_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = Clock()
    handler = EventHandler("k", state_dir, clock=clock)
    log = logger_with(handler)
    for _ in range(5):
        emit(log, "camera.lost", detail="no frames", delay_s=2.0)
        clock.now += 5
    emit(log, "camera.lost", detail="other", delay_s=2.0)  # other fields: a line of its own
    clock.now += 60
    emit(log, "sound.recovered")  # the window is over: the count comes out
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "WARNING kiosk.test: camera lost: no frames; retrying every 2.0 s at most",
        "WARNING kiosk.test: camera lost: other; retrying every 2.0 s at most",
        "WARNING kiosk.test: camera lost: no frames; retrying every 2.0 s at most"
        " (repeated 4 times)",
        "INFO kiosk.test: warning sound works again",
    ]
    events = recent_events(state_dir, 3600, now=clock.now)
    assert [(e["id"], e["n"]) for e in events] == [
        ("camera.lost", 1), ("camera.lost", 1), ("camera.lost", 4), ("sound.recovered", 1)
    ]  # fmt: skip


def test_closing_writes_the_pending_count(
    state_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handler = EventHandler("k", state_dir, clock=Clock())
    log = logger_with(handler)
    for _ in range(3):
        emit(log, "card.unknown_token")
    handler.close()
    assert capsys.readouterr().err.splitlines()[-1].endswith("unknown token (repeated 2 times)")


def test_the_event_file_line_format(state_dir: Path) -> None:
    clock = Clock(datetime(2024, 3, 1, 23, 59, 59, tzinfo=UTC).timestamp())
    handler = EventHandler("kiosk-07", state_dir, clock=clock)
    handler.session = "s-abc"
    log = logger_with(handler)
    emit(log, "submission.spooled", item="ab12", case_tag="case-0011223344556677", pages=3,
         concern="sick", team="vermittlung-1")  # fmt: skip
    logging.getLogger("kiosk.test").warning("odd thing with 123A456789")
    path = state_dir / "events" / "2024-03-01.jsonl"
    assert path.stat().st_mode & 0o777 == 0o600
    assert (state_dir / "events").stat().st_mode & 0o777 == 0o700
    first, second = (json.loads(line) for line in path.read_text().splitlines())
    assert first == {
        "t": clock.now, "id": "submission.spooled", "level": "info", "kiosk": "kiosk-07",
        "session": "s-abc", "n": 1,
        "fields": {"item": "ab12", "pages": 3, "concern": "sick", "team": "vermittlung-1"},
    }  # fmt: skip
    assert second["id"] == "log.warning" and second["fields"] == {"logger": "kiosk.test"}
    assert "case-" not in path.read_text() and "123A456789" not in path.read_text()


def test_files_older_than_30_days_are_pruned_and_the_reader_takes_a_window(
    state_dir: Path,
) -> None:
    now = datetime(2024, 3, 31, 12, tzinfo=UTC)
    directory = state_dir / "events"
    directory.mkdir(parents=True)
    for days in (0, 1, 8, 30, 31, 45):
        day = (now - timedelta(days=days)).date()
        line = {"t": (now - timedelta(days=days)).timestamp(), "id": f"x.d{days}", "n": 1}
        (directory / f"{day}.jsonl").write_text(json.dumps(line) + "\n{torn\n")
    (directory / "notes.txt").write_text("not ours")
    gone = EventFile(state_dir, clock=lambda: now.timestamp()).prune()
    assert sorted(p.name for p in gone) == ["2024-02-15.jsonl", "2024-02-29.jsonl"]
    assert len(event_files(state_dir)) == 4 and (directory / "notes.txt").exists()
    assert [p.name for p in event_files(state_dir, 7, now.timestamp())] == [
        "2024-03-30.jsonl", "2024-03-31.jsonl"
    ]  # fmt: skip
    week = recent_events(state_dir, 7 * 86400, now=now.timestamp())
    assert [e["id"] for e in week] == ["x.d1", "x.d0"]
    assert [e["id"] for e in recent_events(state_dir, 9 * 86400, now.timestamp())][0] == "x.d8"


def test_install_replaces_the_plain_stderr_handler_and_an_earlier_one(state_dir: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    plain = logging.StreamHandler()  # what logging.basicConfig adds
    root.addHandler(plain)
    try:
        first = install("k1", state_dir)
        second = install("k2", state_dir)
        assert plain not in root.handlers and first not in root.handlers
        assert second in root.handlers and root.getEffectiveLevel() <= logging.INFO
        session = eventlog.begin_session()
        assert second.session == session and session.startswith("s-")
        eventlog.end_session()
        assert second.session == ""
        eventlog.uninstall()
        assert not any(isinstance(h, EventHandler) for h in root.handlers)
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)


def test_the_journal_is_used_only_for_a_service_or_when_asked(
    journal_socket: tuple[Path, socket.socket], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path, _ = journal_socket
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
    monkeypatch.delenv("KIOSK_LOG", raising=False)
    assert not journal_wanted(path)  # at a terminal: stderr
    monkeypatch.setenv("JOURNAL_STREAM", "8:1234")
    assert journal_wanted(path) and not journal_wanted(tmp_path / "none")
    monkeypatch.setenv("KIOSK_LOG", "stderr")
    assert not journal_wanted(path)
    monkeypatch.delenv("JOURNAL_STREAM")
    monkeypatch.setenv("KIOSK_LOG", "journal")
    assert journal_wanted(path)
