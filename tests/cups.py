"""A real CUPS scheduler for the receipt printer tests: its own cupsd in a temporary
directory (config, spool, logs, socket), queues on the cups-pdf virtual printer that write
each printed job as a PDF into a folder of the test's, and two test backends: ``paperout``
(the printer says its paper is out and waits, as a USB receipt printer does) and ``stall``
(the printer never answers).

Needs root (cupsd, and cups-pdf's per-queue configuration lives in /etc/cups: a file
``cups-pdf-<queue>.conf`` per test queue, removed afterwards) and Debian's ``cups`` and
``printer-driver-cups-pdf``; skips with the reason otherwise.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CUPS_PDF = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONFIG = Path("/etc/cups")  # cups-pdf reads cups-pdf-<queue>.conf only here
SERVER_BIN = Path("/usr/lib/cups")

FAKE_BACKENDS = {
    "paperout": """#!/bin/sh
if [ $# -eq 0 ]; then echo 'direct paperout "Unknown" "Kiosk test: out of paper"'; exit 0; fi
echo "STATE: +media-empty-error" >&2
echo "INFO: out of paper" >&2
cat > /dev/null
sleep 120
""",
    "stall": """#!/bin/sh
if [ $# -eq 0 ]; then echo 'direct stall "Unknown" "Kiosk test: never answers"'; exit 0; fi
cat > /dev/null
sleep 120
""",
}


def why_not() -> str | None:
    """Why a CUPS server cannot run here, or None."""
    if os.geteuid() != 0:
        return "cupsd and cups-pdf's configuration in /etc/cups need root"
    for program in ("cupsd", "lp", "lpstat", "lpadmin", "cupsdisable", "cancel"):
        if shutil.which(program) is None:
            return f"{program} not installed (Debian: cups)"
    if not CUPS_PDF.is_file() or not CUPS_PDF_PPD.is_file():
        return "cups-pdf not installed (Debian: printer-driver-cups-pdf)"
    if not CUPS_PDF_CONFIG.is_dir():
        return f"{CUPS_PDF_CONFIG} missing"
    return None


class CupsServer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.socket = root / "cups.sock"
        self.spool = root / "spool"
        self.log = root / "log"
        self.out = root / "out"  # what cups-pdf "printed"
        self.env = {**os.environ, "CUPS_SERVER": str(self.socket), "LC_ALL": "C"}
        self.queues: list[str] = []
        self.process: subprocess.Popen[bytes] | None = None

    # -- set-up ----------------------------------------------------------------------

    def write_config(self) -> None:
        etc, server_bin = self.root / "etc", self.root / "bin"
        for path in (etc / "ppd", self.spool / "tmp", self.root / "state", self.root / "cache"):
            path.mkdir(parents=True)
        self.log.mkdir()
        self.out.mkdir()
        # The filters run as user lp: they must reach the spool through these directories.
        for path in (self.root, etc, self.out):
            path.chmod(0o755)
        (server_bin / "backend").mkdir(parents=True)
        for name in ("cgi-bin", "daemon", "filter", "monitor", "notifier", "driver"):
            if (SERVER_BIN / name).exists():
                (server_bin / name).symlink_to(SERVER_BIN / name)
        (server_bin / "backend" / "cups-pdf").symlink_to(CUPS_PDF)  # 0700 root: runs as root
        for name, script in FAKE_BACKENDS.items():
            backend = server_bin / "backend" / name
            backend.write_text(script)
            backend.chmod(0o755)
        for path in (server_bin, server_bin / "backend"):
            path.chmod(0o755)
        (etc / "cups-files.conf").write_text(
            f"ServerRoot {etc}\nServerBin {server_bin}\nRequestRoot {self.spool}\n"
            f"TempDir {self.spool / 'tmp'}\nStateDir {self.root / 'state'}\n"
            f"CacheDir {self.root / 'cache'}\nAccessLog {self.log / 'access_log'}\n"
            f"ErrorLog {self.log / 'error_log'}\nPageLog {self.log / 'page_log'}\n"
            "SystemGroup root\n"
        )
        # As deploy/kiosk.example.toml asks of a kiosk's CUPS: no printed file kept.
        (etc / "cupsd.conf").write_text(
            f"Listen {self.socket}\nLogLevel debug\nWebInterface No\nBrowsing No\n"
            "DefaultAuthType None\nPreserveJobFiles No\nPreserveJobHistory Yes\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
        )

    def start(self) -> None:
        etc = self.root / "etc"
        self.process = subprocess.Popen(
            ["cupsd", "-f", "-c", str(etc / "cupsd.conf"), "-s", str(etc / "cups-files.conf")],
            stdout=subprocess.DEVNULL,
            stderr=(self.log / "cupsd.stderr").open("wb"),
            start_new_session=True,
        )
        ends = time.monotonic() + 15
        while time.monotonic() < ends:
            if self.process.poll() is not None:
                break
            done = self.run("lpstat", "-r", check=False)
            if done.returncode == 0 and "is running" in done.stdout:
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"cupsd did not start: {self.error_log()[-2000:]}")

    def stop(self) -> None:
        for queue in list(self.queues):
            self.remove(queue)
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    # -- queues ----------------------------------------------------------------------

    def add_pdf_queue(self, name: str) -> Path:
        """A cups-pdf queue; returns the folder its printed PDFs land in."""
        out = self.out / name
        out.mkdir(mode=0o755)
        (CUPS_PDF_CONFIG / f"cups-pdf-{name}.conf").write_text(
            f"Out {out}\nAnonDirName {out}\nLabel 0\nTitlePref 0\n"
        )
        self.queues.append(name)
        self.run("lpadmin", "-p", name, "-E", "-v", f"cups-pdf:/{name}", "-P", str(CUPS_PDF_PPD))
        return out

    def add_fake_queue(self, name: str, backend: str) -> None:
        self.queues.append(name)
        self.run("lpadmin", "-p", name, "-E", "-v", f"{backend}:/", "-P", str(CUPS_PDF_PPD))

    def remove(self, name: str) -> None:
        if name in self.queues:
            self.queues.remove(name)
        if self.process is not None:
            self.run("cancel", "-a", "-x", name, check=False)
            self.run("lpadmin", "-x", name, check=False)
        (CUPS_PDF_CONFIG / f"cups-pdf-{name}.conf").unlink(missing_ok=True)

    def jobs(self, name: str) -> list[str]:
        """Jobs not yet completed on the queue."""
        out = self.run("lpstat", "-o", name, check=False).stdout
        return [line.split()[0] for line in out.splitlines() if line.strip()]

    def spooled_documents(self) -> list[Path]:
        """Document files in the spool (d*): with PreserveJobFiles No, none once printed."""
        return sorted(self.spool.glob("d*"))

    # -- helpers ---------------------------------------------------------------------

    def run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            command, env=self.env, capture_output=True, text=True, timeout=30, check=False
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)}: {done.stderr.strip()}")
        return done

    def error_log(self) -> str:
        path = self.log / "error_log"
        return path.read_text(errors="replace") if path.is_file() else ""


def wait_for_pdf(folder: Path, timeout: float = 20.0) -> Path:
    """The PDF cups-pdf wrote into ``folder`` (it finishes writing before the job ends)."""
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        found = sorted(folder.glob("*.pdf"))
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"nothing printed into {folder}")


@contextmanager
def cups_server() -> Iterator[CupsServer]:
    """A running CUPS scheduler of its own, and ``CUPS_SERVER`` pointing at it for the
    programs the kiosk starts (lp, lpstat, cancel); skips where cupsd cannot run."""
    reason = why_not()
    if reason is not None:
        pytest.skip(f"no CUPS server here: {reason}")
    root = Path(tempfile.mkdtemp(prefix="kiosk-cups-", dir="/tmp"))  # a short socket path
    server = CupsServer(root)
    try:
        server.write_config()
        try:
            server.start()
        except RuntimeError as err:
            pytest.skip(f"no CUPS server here: {err}")
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CUPS_SERVER", str(server.socket))
            yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
