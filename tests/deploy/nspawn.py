"""A fresh Debian 12 root per test run, booted with systemd-nspawn (systemd as PID 1).

The debootstrapped root is cached outside the repository (``$KIOSK_DEPLOY_CACHE``, else
``~/.cache/jobcenter-kiosk/deploy``), keyed by the debootstrap arguments, and copied for
each run; the .debs apt downloads are cached there too. Commands run inside the booted
container through ``nsenter`` into its namespaces: there is no systemd-machined here, so
no ``machinectl`` or ``systemd-run --machine``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

SUITE = "bookworm"
MIRROR = "http://deb.debian.org/debian"
DEBOOTSTRAP = (
    "debootstrap",
    "--variant=minbase",
    "--include=systemd,systemd-sysv,dbus",
    SUITE,
)
SOURCES = f"""\
deb {MIRROR} {SUITE} main
deb {MIRROR} {SUITE}-updates main
deb http://deb.debian.org/debian-security {SUITE}-security main
"""
# Inside the container, whatever the test's own environment says.
CLEAN_ENV = ("env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "HOME=/root")
NSPAWN = ("systemd-nspawn", "--quiet", "--register=no", "--keep-unit")

TOOLS = ("debootstrap", "systemd-nspawn", "nsenter", "dpkg-deb")


def missing_tools() -> str | None:
    """Why these tests cannot run on this machine, or None."""
    if os.geteuid() != 0:
        return "systemd-nspawn and debootstrap need root"
    absent = [tool for tool in TOOLS if shutil.which(tool) is None]
    if absent:
        return f"not installed: {', '.join(absent)} (APT_PACKAGES in dev.sh)"
    return None


def cache_dir() -> Path:
    configured = os.environ.get("KIOSK_DEPLOY_CACHE")
    base = Path(configured) if configured else Path.home() / ".cache" / "jobcenter-kiosk" / "deploy"
    base.mkdir(parents=True, exist_ok=True)
    return base


def base_root() -> Path:
    """The cached debootstrapped root (made once, ~1 min; later runs only copy it)."""
    key = hashlib.sha256(" ".join((*DEBOOTSTRAP, MIRROR, SOURCES)).encode()).hexdigest()[:12]
    cache = cache_dir()
    root = cache / f"debootstrap-{SUITE}-{key}"
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test runs never build it at once
        if (root / ".complete").exists():
            return root
        partial = cache / f".partial-{key}"
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run(
            [*DEBOOTSTRAP, str(partial), MIRROR],
            check=True,
            capture_output=True,
            timeout=900,
        )
        (partial / "etc/apt/sources.list").write_text(SOURCES)
        # apt's downloads live in the cache, not in each copy (see apt_install()).
        for deb in (partial / "var/cache/apt/archives").glob("*.deb"):
            deb.unlink()
        shutil.rmtree(root, ignore_errors=True)
        partial.rename(root)
        (root / ".complete").touch()
        return root


def fresh_root(target: Path) -> Path:
    """A copy of the cached root for one test run (cp -a: device nodes stay nodes)."""
    subprocess.run(["cp", "-a", "--reflink=auto", str(base_root()), str(target)], check=True)
    (target / ".complete").unlink()
    return target


def mounted_below(path: Path) -> list[str]:
    return [
        line.split()[1]
        for line in Path("/proc/mounts").read_text().splitlines()
        if line.split()[1].startswith(f"{path}/")
    ]


@contextlib.contextmanager
def work_area() -> Iterator[Path]:
    """A directory for one test session's roots and build, in the cache's file system and
    outside pytest's basetemp (other pytest sessions prune old basetemps)."""
    runs = cache_dir() / "runs"
    runs.mkdir(exist_ok=True)
    path = runs / f"{os.getpid()}-{time.monotonic_ns()}"
    path.mkdir()
    try:
        yield path
    finally:
        if not mounted_below(path):  # never delete through a mount of the host's
            shutil.rmtree(path, ignore_errors=True)


def apt_archives() -> Path:
    path = cache_dir() / "apt-archives"
    (path / "partial").mkdir(parents=True, exist_ok=True)
    return path


def run_in_root(
    root: Path, command: Sequence[str], *, binds: Sequence[str] = (), timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    """A command in the (not booted) root, as a chroot with a proper /proc, /dev, /run."""
    return subprocess.run(
        [*NSPAWN, "-D", str(root), "--pipe", *(f"--bind={bind}" for bind in binds),
         *CLEAN_ENV, "DEBIAN_FRONTEND=noninteractive", *command],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


def apt_install(root: Path, deb: Path) -> subprocess.CompletedProcess[str]:
    """``apt-get install ./x.deb``, as an admin does on a fresh Debian 12."""
    return run_in_root(
        root,
        ["sh", "-c", f"apt-get update -qq && apt-get install -y -q /mnt/deb/{deb.name}"],
        binds=(f"{apt_archives()}:/var/cache/apt/archives", f"{deb.parent}:/mnt/deb"),
    )


class Booted:
    """The root booted with systemd as PID 1; ``run`` executes inside it."""

    def __init__(self, root: Path, log: Path) -> None:
        self.root = root
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.leader = 0

    def start(self, timeout: float = 120) -> None:
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [*NSPAWN, "-D", str(self.root), "--boot", "--console=read-only"],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"nspawn exited: {self.log.read_text()[-2000:]}"
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            pids = children.read_text().split() if children.exists() else []
            if pids and self._comm(pids[0]) == "systemd":
                self.leader = int(pids[0])
                break
            time.sleep(0.2)
        else:
            raise TimeoutError("the container's systemd did not start")
        # Right after systemd starts, its bus is not there yet and systemctl fails at once
        # ("Failed to connect to bus"): ask again until it answers (seen in CI, a slow boot).
        while True:
            state = self.run(["systemctl", "is-system-running", "--wait"], timeout=timeout)
            if "Failed to connect to bus" not in state.stderr or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.system_state = state.stdout.strip()

    @staticmethod
    def _comm(pid: str) -> str:
        try:
            return Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            return ""

    def run(
        self, command: Sequence[str], *, timeout: float = 120, user: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        assert self.leader, "not booted"
        as_user = ["runuser", "-u", user, "--"] if user else []
        return subprocess.run(
            ["nsenter", "-t", str(self.leader), "-a", *CLEAN_ENV, *as_user, *command],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )

    def stop(self, timeout: float = 60) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # nspawn: an orderly shutdown of the guest
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


@contextlib.contextmanager
def booted(root: Path, log: Path) -> Iterator[Booted]:
    machine = Booted(root, log)
    try:
        machine.start()
        yield machine
    finally:
        machine.stop()
