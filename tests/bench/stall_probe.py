"""Where the GUI thread's stalls come from: the UI benchmark's session, under a probe.

A heartbeat timer on the GUI thread (every 5 ms) measures each stall and how much of it the
GUI thread spent on the CPU (its own work) or off it (waiting: for the GIL, a lock, the
kernel, a free core); a sampler thread records every thread's stack every few ms and its
own lateness (a C call that keeps the GIL delays it too); gc.callbacks time collections;
presenter dispatches are recorded as spans. For the longest stalls it prints all of that.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/stall_probe.py [--top N]
     [--switch-interval S] [--sample-ms MS]
"""

from __future__ import annotations

import argparse
import gc
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

# Only light imports up here: the scan workers' forkserver imports this module again.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ui import ROOT, client_session, open_session  # noqa: E402

Frame = tuple[str, int, str]  # file, line, function
DEPTH = 12


@dataclass(frozen=True)
class Span:
    start: float
    end: float
    label: str
    thread: str = "MainThread"


@dataclass
class Sample:
    at: float
    late: float  # how much later than asked the sampler woke and got the GIL
    stacks: dict[str, tuple[Frame, ...]]  # thread name -> frames, innermost first


@dataclass
class Beat:
    start: float
    end: float
    cpu: float  # GUI thread CPU time within


@dataclass
class Probe:
    sample_s: float = 0.004
    beat_ms: int = 5
    beats: list[Beat] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    _gc_started: dict[int, float] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    # -- recording ----------------------------------------------------------------------

    def start(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        gc.callbacks.append(self._gc)
        self._sampler = threading.Thread(target=self._sample, name="probe-sampler", daemon=True)
        self._sampler.start()
        self._last = (time.perf_counter(), time.thread_time())
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._beat)
        self._timer.start(self.beat_ms)

    def stop(self) -> None:
        self._timer.stop()
        self._stop.set()
        self._sampler.join()
        gc.callbacks.remove(self._gc)

    def _beat(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.beats.append(Beat(self._last[0], now, cpu - self._last[1]))
        self._last = (now, cpu)

    def _gc(self, phase: str, info: dict[str, Any]) -> None:
        ident, now = threading.get_ident(), time.perf_counter()
        if phase == "start":
            self._gc_started[ident] = now
            return
        started = self._gc_started.pop(ident, now)
        name = threading.current_thread().name
        label = f"gc gen{info['generation']} ({info['collected']} collected)"
        self.spans.append(Span(started, now, label, name))

    def _sample(self) -> None:
        me = threading.get_ident()
        due = time.perf_counter()
        while not self._stop.wait(max(0.0, due - time.perf_counter())):
            now = time.perf_counter()
            names = {t.ident: t.name for t in threading.enumerate()}
            stacks = {
                names.get(ident, str(ident)): _frames(frame)
                for ident, frame in sys._current_frames().items()
                if ident != me
            }
            self.samples.append(Sample(now, now - due, stacks))
            due = max(due + self.sample_s, now)

    @contextmanager
    def span(self, label: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.spans.append(Span(start, time.perf_counter(), label))

    def wrap(
        self, call: Callable[[Any], None], label: Callable[[Any], str]
    ) -> Callable[[Any], None]:
        def wrapped(arg: Any) -> None:
            with self.span(label(arg)):
                call(arg)

        return wrapped

    # -- report -------------------------------------------------------------------------

    def report(self, top: int, origin: float) -> None:
        def at(t: float) -> str:
            return f"{(t - origin) * 1000:7.1f} ms"

        worst = sorted(self.beats, key=lambda b: b.end - b.start, reverse=True)[:top]
        print(f"{len(self.beats)} heartbeats, {len(self.samples)} samples")
        for beat in sorted(worst, key=lambda b: b.start):
            length = beat.end - beat.start
            off = max(0.0, length - beat.cpu)
            print(f"\nstall at {at(beat.start)}: {length * 1000:.0f} ms; GUI thread on the CPU")
            print(f"  {beat.cpu * 1000:.0f} ms, off it {off * 1000:.0f} ms ({_verdict(beat)})")
            for span in self.spans:
                if span.end > beat.start and span.start < beat.end:
                    print(
                        f"  {span.label} on {span.thread}: {at(span.start)} +"
                        f" {(span.end - span.start) * 1000:.1f} ms"
                    )
            inside = [s for s in self.samples if beat.start <= s.at <= beat.end]
            if not inside:
                print("  (no samples: the sampler did not get the GIL)")
                continue
            late = max(inside, key=lambda s: s.late)
            print(f"  sampler up to {late.late * 1000:.1f} ms late (at {at(late.at)})")
            self._where(inside)
        self._gil(top, at)
        self._gc_summary()

    def _gil(self, top: int, at: Callable[[float], str]) -> None:
        """The sampler's longest delays: the GIL was held that long (or no core was free);
        a thread that held it through a C call is usually just past that call."""
        print("\nsampler's longest delays (GIL held elsewhere, or no core free):")
        for sample in sorted(self.samples, key=lambda s: s.late, reverse=True)[:top]:
            print(f"  {at(sample.at)}: {sample.late * 1000:.1f} ms late")
            for name, frames in sample.stacks.items():
                print(f"    [{name}] {_describe(frames)}")

    def _gc_summary(self) -> None:
        collections: dict[str, list[float]] = {}
        for span in self.spans:
            if span.label.startswith("gc "):
                collections.setdefault(span.label.split()[1], []).append(span.end - span.start)
        print("\ngarbage collections:")
        for generation, times in sorted(collections.items()):
            print(
                f"  {generation}: {len(times)}, longest {max(times) * 1000:.1f} ms,"
                f" together {sum(times) * 1000:.1f} ms"
            )

    def _where(self, samples: list[Sample]) -> None:
        per_thread: dict[str, Counter[str]] = {}
        for sample in samples:
            for name, frames in sample.stacks.items():
                per_thread.setdefault(name, Counter())[_describe(frames)] += 1
        for name, places in sorted(per_thread.items(), key=lambda kv: kv[0] != "MainThread"):
            print(f"  [{name}] in {sum(places.values())} samples:")
            for place, count in places.most_common(4):
                print(f"    {count:3d}  {place}")


def _frames(frame: FrameType | None) -> tuple[Frame, ...]:
    out: list[Frame] = []
    while frame is not None and len(out) < DEPTH:
        code = frame.f_code
        out.append((code.co_filename, frame.f_lineno, code.co_name))
        frame = frame.f_back
    return tuple(out)


def _short(frame: Frame) -> str:
    path, line, name = frame
    for prefix in (str(ROOT) + "/", "site-packages/", "python3.11/"):
        if prefix in path:
            path = path.split(prefix, 1)[1]
    return f"{path}:{line} {name}"


def _describe(frames: tuple[Frame, ...]) -> str:
    """Innermost frame, and the innermost frame of our own code beneath it."""
    if not frames:
        return "?"
    ours = next((f for f in frames if f[0].startswith(str(ROOT)) and "/bench/" not in f[0]), None)
    inner = _short(frames[0])
    return inner if ours is None or ours == frames[0] else f"{inner}  < {_short(ours)}"


def _verdict(beat: Beat) -> str:
    share = beat.cpu / max(beat.end - beat.start, 1e-9)
    if share >= 0.7:
        return "its own work: see where it was"
    if share <= 0.3:
        return "waiting: GIL, a lock or a core; see the other threads"
    return "partly working, partly waiting"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=5, help="how many of the longest stalls")
    parser.add_argument("--switch-interval", type=float, help="sys.setswitchinterval (s)")
    parser.add_argument("--sample-ms", type=float, default=4.0)
    args = parser.parse_args()
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval)
    _app, presenter = open_session()
    probe = Probe(sample_s=args.sample_ms / 1000)
    dispatch = probe.wrap(presenter.dispatch, lambda event: f"dispatch {type(event).__name__}")
    presenter.dispatch = presenter.runner.dispatch = dispatch
    probe.start()
    origin = time.perf_counter()
    total = client_session(presenter)
    probe.stop()
    presenter.stop()
    print(f"session {total:.2f} s; switch interval {sys.getswitchinterval() * 1000:g} ms")
    probe.report(args.top, origin)


if __name__ == "__main__":
    main()
