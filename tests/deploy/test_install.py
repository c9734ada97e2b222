"""The package on a fresh Debian 12: installed with apt into a debootstrapped root, booted
with systemd as PID 1 (systemd-nspawn), and looked at from inside.

The tests of this module run in order on one booted root: install, services, units and
their security scores, the installed command, the Qt UI on the Depends alone, a document
spooled inside and delivered by the delivery service, and last the purge.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy import nspawn
from tests.deploy.conftest import SCORES, TIMINGS

pytestmark = [pytest.mark.slow, pytest.mark.deploy, pytest.mark.timeout(1800)]

STATE = "/var/lib/kiosk"
AS_KIOSK = ("env", f"KIOSK_STATE_DIR={STATE}", f"HOME={STATE}")
GATES = {"kiosk-ui.service": 4.0, "kiosk-deliver.service": 2.5}
UNITS = (
    "kiosk-ui.service", "kiosk-deliver.service", "kiosk-routing-sync.service",
    "kiosk-routing-sync.timer", "kiosk-metrics.service", "kiosk-metrics.timer",
)  # fmt: skip


@pytest.fixture(scope="module")
def machine(deb: Path, deploy_work: Path) -> Iterator[nspawn.Booted]:
    why = nspawn.missing_tools()
    if why:
        pytest.skip(why)
    work = deploy_work / "booted"
    work.mkdir()
    started = time.monotonic()
    root = nspawn.fresh_root(work / "root")
    TIMINGS["debootstrapped root (cached) copied"] = time.monotonic() - started
    started = time.monotonic()
    installed = nspawn.apt_install(root, deb)
    TIMINGS["apt-get install ./deb"] = time.monotonic() - started
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    started = time.monotonic()
    try:
        with nspawn.booted(root, work / "console.log") as booted:
            TIMINGS["boot"] = time.monotonic() - started
            yield booted
    finally:
        shutil.rmtree(root, ignore_errors=True)


def ok(result: subprocess.CompletedProcess[str], code: int = 0) -> str:
    assert result.returncode == code, (result.stdout + result.stderr)[-3000:]
    return result.stdout


EXIT_QUEUED = 20  # kiosk.exits: stored safely, not yet delivered


def submit(machine: nspawn.Booted, inbox: str) -> dict[str, object]:
    """`kiosk submit` as the kiosk user, scanning 10 pages from SANE's test scanner (the
    embedded defaults), for a folder inbox that is not there: the document is queued."""
    case = ["--case", "12345BG0012345", "--concern", "sick"]
    command = [*AS_KIOSK, "kiosk", "submit", *case, "--inbox", f"file://{inbox}/", "--json"]
    out = ok(machine.run(command, user="kiosk", timeout=300), EXIT_QUEUED)
    outcome: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return outcome


def state(machine: nspawn.Booted, unit: str) -> str:
    return machine.run(["systemctl", "is-active", unit]).stdout.strip()


PLATFORMS = "/opt/jobcenter-kiosk/lib/python3.11/site-packages/PySide6/Qt/plugins/platforms"
LEFT_BEHIND = (
    'for f; do if [ -d "$f" ]; then :; elif [ -e "$f" ] || [ -L "$f" ]; then echo "$f"; fi; done'
)


def test_boots_with_no_failed_kiosk_unit(machine: nspawn.Booted) -> None:
    """Nothing of the kiosk's fails. (Hardware services that apt's Recommends bring in,
    nvmf-autoconnect or openipmi, fail in a container: not ours.)"""
    failed = ok(machine.run(["systemctl", "--failed", "--plain", "--no-legend"])).split("\n")
    assert [line for line in failed if "kiosk" in line] == []
    assert machine.system_state in ("running", "degraded")


def test_the_delivery_service_is_active_as_the_kiosk_user(machine: nspawn.Booted) -> None:
    assert state(machine, "kiosk-deliver.service") == "active"
    show = ok(machine.run(["systemctl", "show", "-p", "MainPID", "kiosk-deliver.service"]))
    pid = show.strip().split("=")[1]
    status = ok(machine.run(["cat", f"/proc/{pid}/status"]))
    uid = re.search(r"^Uid:\s+(\d+)", status, re.M)
    assert uid is not None
    assert ok(machine.run(["id", "-u", "kiosk"])).strip() == uid.group(1)
    # The state dir belongs to that user alone.
    assert ok(machine.run(["stat", "-c", "%U %a", STATE])).strip() == "kiosk 700"
    journal = ok(machine.run(["journalctl", "-u", "kiosk-deliver", "-o", "cat", "--no-pager"]))
    assert "Traceback" not in journal


def test_units_are_enabled_and_valid(machine: nspawn.Booted) -> None:
    for unit in ("kiosk-deliver.service", "kiosk-ui.service", "kiosk-routing-sync.timer"):
        assert ok(machine.run(["systemctl", "is-enabled", unit])).strip() == "enabled"
    paths = [f"/lib/systemd/system/{unit}" for unit in UNITS]
    verified = machine.run(["systemd-analyze", "verify", "--man=no", *paths])
    assert verified.returncode == 0, verified.stderr
    # No virtual console in a container: the UI is skipped by its condition, not failed.
    result = ok(machine.run(["systemctl", "show", "-p", "ConditionResult", "kiosk-ui.service"]))
    assert result.strip() == "ConditionResult=no"


@pytest.mark.parametrize("unit", sorted(GATES))
def test_security_exposure_meets_the_gate(machine: nspawn.Booted, unit: str) -> None:
    threshold = f"--threshold={round(GATES[unit] * 10)}"  # in tenths
    result = machine.run(["systemd-analyze", "security", "--no-pager", threshold, unit])
    score = re.search(r"Overall exposure level for \S+: ([\d.]+)", result.stdout)
    assert score is not None, result.stdout + result.stderr
    SCORES[unit] = float(score.group(1))
    assert result.returncode == 0, result.stdout[-2000:]
    assert SCORES[unit] <= GATES[unit]


def test_the_metrics_service_writes_the_textfile(machine: nspawn.Booted) -> None:
    """kiosk-metrics.service as its timer starts it: as the kiosk user, into node_exporter's
    textfile directory (the ACL the package's postinst grants lets it write there)."""
    started = machine.run(["systemctl", "start", "kiosk-metrics.service"], timeout=120)
    journal = machine.run(["journalctl", "-u", "kiosk-metrics", "--no-pager", "-n", "20"]).stdout
    assert started.returncode == 0, journal
    prom = ok(machine.run(["cat", "/var/lib/prometheus/node-exporter/kiosk.prom"]))
    assert "kiosk_" in prom


PROBE = """
import gettext, json, shutil, sys
from kiosk.services.assets import Assets, shipped_dir
from kiosk.ui.i18n.texts import LOCALE_DIR
catalogs = {lang: len(gettext.translation("kiosk", LOCALE_DIR, [lang])._catalog)
            for lang in ("de", "uk", "ar", "tr", "en")}
print(json.dumps({"prefix": sys.prefix, "shipped": str(shipped_dir()),
    "pictograms": len(Assets().pictogram_names()), "catalogs": catalogs,
    "kiosk": shutil.which("kiosk")}))
"""


def test_kiosk_on_path_finds_its_assets_and_catalogs(machine: nspawn.Booted) -> None:
    assert ok(machine.run(["readlink", "-f", "/usr/bin/kiosk"])).strip() == (
        "/opt/jobcenter-kiosk/bin/kiosk"
    )
    assert ok(machine.run(["kiosk", "--version"])).startswith("kiosk ")
    found = json.loads(
        ok(machine.run(["/opt/jobcenter-kiosk/bin/python", "-c", PROBE], user="kiosk"))
    )
    assert found["prefix"] == "/opt/jobcenter-kiosk"
    assert found["shipped"] == "/opt/jobcenter-kiosk/share/jobcenter-kiosk/assets"
    assert found["pictograms"] > 5
    assert all(count > 50 for count in found["catalogs"].values()), found["catalogs"]
    assert found["kiosk"] == "/usr/bin/kiosk"
    # postinst compiled the byte-code: a read-only /opt costs no start-up time.
    assert ok(machine.run(["find", "/opt/jobcenter-kiosk/lib", "-name", "cli*.pyc"])) != ""


def test_the_qt_ui_renders_on_the_packages_it_depends_on(machine: nspawn.Booted) -> None:
    """Qt's platform plugins find every library they need, and the screens render in
    German with the fonts the package pulls in."""
    for plugin in ("libqwayland.so", "libqxcb.so", "libqoffscreen.so"):
        linked = ok(machine.run(["ldd", f"{PLATFORMS}/{plugin}"]))
        assert "not found" not in linked, linked
    shots = ok(
        machine.run(
            [
                *AS_KIOSK,
                "QT_QPA_PLATFORM=offscreen",
                "kiosk",
                "screenshots",
                "/tmp/shots",
                "--languages",
                "de",
            ],
            user="kiosk",
            timeout=300,
        )  # fmt: skip
    )
    del shots
    pngs = ok(machine.run(["find", "/tmp/shots", "-name", "*.png", "-size", "+10k"])).split()
    assert len(pngs) >= 5


def test_a_spooled_document_is_delivered_by_the_delivery_service(
    machine: nspawn.Booted,
) -> None:
    """`kiosk submit` with the SANE test scanner spools a document for a folder inbox
    that is not there yet; once it is, kiosk-deliver.service (and only it) delivers."""
    inbox = f"{STATE}/late-inbox"
    outcome = submit(machine, inbox)
    assert outcome["status"] == "queued" and not outcome["delivered"]
    receipt = outcome["receipt"]
    assert isinstance(receipt, dict) and receipt["page_count"] == 10
    started = time.monotonic()
    ok(machine.run(["install", "-d", "-o", "kiosk", "-g", "kiosk", "-m", "0750", inbox]))
    deadline = time.monotonic() + 180
    pdfs: list[str] = []
    while time.monotonic() < deadline and not pdfs:
        time.sleep(1)
        pdfs = machine.run(["find", inbox, "-name", "*.pdf"]).stdout.split()
    TIMINGS["spooled document delivered by kiosk-deliver"] = time.monotonic() - started
    assert len(pdfs) == 1, ok(machine.run(["journalctl", "-u", "kiosk-deliver", "--no-pager"]))
    assert receipt["receipt_id"] in pdfs[0]
    assert ok(machine.run(["head", "-c", "5", pdfs[0]])) == "%PDF-"
    assert ok(machine.run(["stat", "-c", "%U", pdfs[0]])).strip() == "kiosk"
    journal = ok(machine.run(["journalctl", "-u", "kiosk-deliver", "-o", "verbose", "--no-pager"]))
    assert "KIOSK_EVENT=" in journal  # the service logs to the journal's native socket


# The UI unit as packaged, but on wlroots' headless backend instead of tty1's screen (a
# container has neither a virtual console nor a GPU), and a short watchdog.
HEADLESS = """\
[Unit]
ConditionPathExists=
[Service]
TTYPath=
StandardInput=null
TTYReset=no
TTYVHangup=no
TTYVTDisallocate=no
WatchdogSec=6s
Environment=WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1
"""
FIND_UI = """
import os
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            argv = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\\0")
        except OSError:
            continue
        if argv[:3] == [b"/opt/jobcenter-kiosk/bin/python", b"/usr/bin/kiosk", b"run"]:
            print(pid)
"""


def show(machine: nspawn.Booted, unit: str, prop: str) -> str:
    return ok(machine.run(["systemctl", "show", "--value", "-p", prop, unit])).strip()


def test_the_ui_is_ready_after_its_first_paint_and_a_hung_ui_is_restarted(
    machine: nspawn.Booted,
) -> None:
    """kiosk-ui.service under cage, sandboxed as shipped: `systemctl start` returns once
    the kiosk sent READY=1 (Type=notify); frozen (SIGSTOP), its watchdog pings stop and
    systemd restarts it."""
    dropin = machine.root / "etc/systemd/system/kiosk-ui.service.d"
    dropin.mkdir(parents=True)
    (dropin / "headless.conf").write_text(HEADLESS)
    try:
        ok(machine.run(["systemctl", "daemon-reload"]))
        started = time.monotonic()
        begun = machine.run(["systemctl", "start", "kiosk-ui.service"], timeout=150)
        TIMINGS["kiosk-ui: start until READY=1 (first paint)"] = time.monotonic() - started
        journal = machine.run(["journalctl", "-u", "kiosk-ui", "--no-pager", "-n", "80"]).stdout
        assert begun.returncode == 0, begun.stderr + journal
        assert state(machine, "kiosk-ui.service") == "active"
        time.sleep(8)  # longer than WatchdogSec: the pings keep it alive
        assert state(machine, "kiosk-ui.service") == "active"
        assert show(machine, "kiosk-ui.service", "NRestarts") == "0"
        (pid,) = ok(machine.run(["/opt/jobcenter-kiosk/bin/python", "-c", FIND_UI])).split()
        ok(machine.run(["sh", "-c", f"kill -STOP {pid}"]))  # no procps: the shell's kill
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if show(machine, "kiosk-ui.service", "NRestarts") != "0":
                break
            time.sleep(1)
        journal = machine.run(["journalctl", "-u", "kiosk-ui", "--no-pager", "-n", "40"]).stdout
        assert show(machine, "kiosk-ui.service", "NRestarts") == "1", journal
        assert "Watchdog timeout" in journal
        # The hung kiosk and its cage are gone, not left behind in the session scope.
        deadline = time.monotonic() + 60
        alive = ["sh", "-c", f"kill -0 {pid}"]
        while machine.run(alive).returncode == 0 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert machine.run(alive).returncode != 0
        ok(machine.run(["systemctl", "start", "kiosk-ui.service"], timeout=150))
        assert len(ok(machine.run(["/opt/jobcenter-kiosk/bin/python", "-c", FIND_UI])).split()) == 1
        ok(machine.run(["systemctl", "stop", "kiosk-ui.service"], timeout=60))
        assert ok(machine.run(["/opt/jobcenter-kiosk/bin/python", "-c", FIND_UI])).split() == []
        assert show(machine, "kiosk-ui.service", "Result") == "success"
    finally:
        machine.run(["systemctl", "stop", "kiosk-ui.service"], timeout=60)
        (dropin / "headless.conf").unlink()
        dropin.rmdir()
        machine.run(["systemctl", "daemon-reload"])


def test_purge_removes_the_package_but_never_the_undelivered_spool(
    machine: nspawn.Booted,
) -> None:
    # One document that cannot be delivered (its inbox never appears) waits in the outbox.
    submit(machine, f"{STATE}/never")
    outbox_before = ok(machine.run(["find", f"{STATE}/outbox", "-type", "f"])).split()
    assert outbox_before
    files = ok(machine.run(["dpkg-query", "-L", "jobcenter-kiosk"])).split()
    purge = ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "purge", "-y", "-q"]
    ok(machine.run([*purge, "jobcenter-kiosk"], timeout=300))
    assert machine.run(["dpkg-query", "-W", "jobcenter-kiosk"]).returncode != 0
    left = machine.run(["sh", "-c", LEFT_BEHIND, "-", *files])
    assert ok(left).split() == []
    assert machine.run(["test", "-e", "/opt/jobcenter-kiosk"]).returncode != 0
    assert state(machine, "kiosk-deliver.service") != "active"
    # The documents not yet delivered stay, with the keys that decrypt them.
    assert ok(machine.run(["find", f"{STATE}/outbox", "-type", "f"])).split() == outbox_before
    assert ok(machine.run(["ls", f"{STATE}/keys"])).split()
    assert machine.run(["test", "-e", f"{STATE}/metrics"]).returncode != 0
