"""The monitoring side: the alert rules pass promtool's check and their own unit tests,
and Debian's real node_exporter serves the kiosk's textfile over HTTP."""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MONITORING = ROOT / "deploy" / "monitoring"
KIOSK = Path(sys.executable).parent / "kiosk"
PROMTOOL = shutil.which("promtool")
NODE_EXPORTER = shutil.which("prometheus-node-exporter") or shutil.which("node_exporter")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None, reason="promtool missing (Debian package prometheus; ./dev.sh installs it)"
)


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL is not None
    return subprocess.run(
        [PROMTOOL, *args], cwd=MONITORING, capture_output=True, text=True, timeout=120
    )


@needs_promtool
def test_the_alert_rules_are_valid() -> None:
    checked = promtool("check", "rules", "alerts.yml")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS: 12 rules found" in checked.stdout


@needs_promtool
def test_every_alert_fires_and_stays_quiet_as_its_unit_tests_say() -> None:
    tested = promtool("test", "rules", "alerts_test.yml")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    rules = (MONITORING / "alerts.yml").read_text()
    tests = (MONITORING / "alerts_test.yml").read_text()
    alerts = {line.split(":", 1)[1].strip() for line in rules.splitlines()
              if line.strip().startswith("- alert:")}  # fmt: skip
    assert len(alerts) == 10
    for alert in alerts:  # each alert has a test where it fires and one where it does not
        assert f"alertname: {alert}\n        exp_alerts: []" in tests, alert
        assert f"alertname: {alert}\n        exp_alerts:\n          - exp_labels" in tests, alert


@needs_promtool
@pytest.mark.slow  # about 8 s: the rules evaluated hourly into October
def test_working_hours_follow_berlin_time_across_summer_time() -> None:
    tested = promtool("test", "rules", "working_hours_test.yml")
    assert tested.returncode == 0, tested.stdout + tested.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@contextmanager
def node_exporter(textfiles: Path) -> Iterator[int]:
    """Debian's node_exporter on 127.0.0.1, with only its textfile collector."""
    assert NODE_EXPORTER is not None
    port = free_port()
    process = subprocess.Popen(
        [NODE_EXPORTER, f"--web.listen-address=127.0.0.1:{port}", "--collector.disable-defaults",
         "--collector.textfile", f"--collector.textfile.directory={textfiles}",
         "--web.disable-exporter-metrics"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        listening = threading.Event()
        for _ in range(200):  # bounded: it listens within milliseconds
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, process.communicate()[1]
                listening.wait(0.05)
        yield port
    finally:
        process.terminate()
        process.communicate(timeout=30)


def scrape(port: int) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/metrics")
    answer = connection.getresponse()
    assert answer.status == 200
    return answer.read().decode()


@pytest.mark.skipif(
    NODE_EXPORTER is None,
    reason="node_exporter missing (Debian package prometheus-node-exporter; ./dev.sh installs it)",
)
def test_node_exporter_serves_the_kiosks_textfile(tmp_path: Path) -> None:
    textfiles = tmp_path / "node-exporter"
    textfiles.mkdir()
    written = subprocess.run(
        [str(KIOSK), "metrics", "--textfile", str(textfiles)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    with node_exporter(textfiles) as port:
        served = scrape(port)
    lines = served.splitlines()
    assert "node_textfile_scrape_error 0" in lines  # it parsed kiosk.prom
    assert any(line.startswith('node_textfile_mtime_seconds{file="') and "kiosk.prom" in line
               for line in lines)  # fmt: skip
    ours = [line for line in written_lines(textfiles) if not line.startswith("#")]
    kiosk = [line for line in lines if line.startswith("kiosk_")]
    names = {line.split("{")[0].split(" ")[0] for line in kiosk}
    assert {"kiosk_info", "kiosk_outbox_documents", "kiosk_deliveries_total",
            "kiosk_scanner_up", "kiosk_metrics_generated_timestamp_seconds"} <= names  # fmt: skip
    assert len(kiosk) == len(ours)
    assert 'kiosk_info{kiosk="demo-kiosk",' in served
    assert 'kiosk_deliveries_total{result="delivered",route="leistung-1"} 0' in lines
    assert "# TYPE kiosk_deliveries_total counter" in lines


def written_lines(textfiles: Path) -> list[str]:
    return (textfiles / "kiosk.prom").read_text().splitlines()
