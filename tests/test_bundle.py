"""`kiosk support-bundle`: a kiosk full of canary cases' documents (spooled, held) and
secrets gives a bundle with none of them in any member, and a manifest that matches."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from kiosk.app import embedded_config
from kiosk.cli.bundle_parts import DEBIAN_PACKAGES, configuration, debian_packages, redact
from kiosk.core.redact import case_numbers_in

KIOSK = Path(sys.executable).parent / "kiosk"
ROOT = Path(__file__).resolve().parent.parent
CASES = ("12345BG0054321", "98765//0011223", "987Z654321")  # canary clients
SECRETS = ("CanaryBearerToken0123456789", "CanaryQueryKey", "CanaryApiKey", "CanaryPassw0rd")
CARD_TOKEN = "CanaryCardTokenAbcdef123"


def kiosk(state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIOSK_STATE_DIR": str(state)}
    done = subprocess.run([str(KIOSK), *args], capture_output=True, text=True, env=env, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture
def canary_kiosk(tmp_path: Path, state_dir: Path, sane_config: Path) -> Path:
    """A kiosk whose inbox is gone: every canary document waits in its spool; one batch
    is held after a jam; its configuration names a bearer token, URL keys and card keys."""
    token = tmp_path / "inbox-token"
    token.write_text(SECRETS[0] + "\n")
    card_key = tmp_path / "card.key"
    card_key.write_bytes(b"CanaryCardSigningKey-0123456789")
    for path in (token, card_key):
        path.chmod(0o600)
    (tmp_path / "routing.toml").write_text(
        f'triage = "{(tmp_path / "unmounted").as_uri()}/"\n[tokens]\n{CARD_TOKEN} = "{CASES[0]}"\n'
    )
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[kiosk]\nid = "canary-kiosk"\n'
        f'[scanner]\ndevice = "test:0"\nsane_config_dir = "{sane_config}"\n'
        '[routing]\ntable = "routing.toml"\n'
        f'sync_url = "https://routing.example/table.toml?key={SECRETS[1]}"\n'
        f'token_lookup = "https://lookup.example/cards?apikey={SECRETS[2]}"\n'
        f'[cards]\ncase_key_file = "{card_key}"\n'
        f'[delivery]\ntoken_file = "{token}"\n'
    )
    for case in CASES:
        done = kiosk(state_dir, "submit", "--case", case, "--concern", "sick", "--config",
                     str(config))  # fmt: skip
        assert done.returncode == 20, done.stderr  # spooled, not delivered
    jam = kiosk(state_dir, "submit", "--case", CASES[2], "--concern", "income", "--config",
                str(config), "--set-option", "3:read-return-value=SANE_STATUS_JAMMED")  # fmt: skip
    assert jam.returncode == 11, jam.stderr  # jammed: pages held for a resume
    assert len(list((state_dir / "outbox").glob("*.item"))) == 3
    assert list((state_dir / "held").iterdir())
    # The delivery service writes real events (delivery.failed) into the event file ...
    service = subprocess.Popen(
        [str(KIOSK), "deliver", "--config", str(config)],
        env={**os.environ, "KIOSK_STATE_DIR": str(state_dir)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    events = state_dir / "events"
    deadline = time.monotonic() + 30
    while not (events.is_dir() and "delivery.failed" in _all_text(events)):
        assert time.monotonic() < deadline and service.poll() is None, "no delivery event"
        time.sleep(0.1)
    service.send_signal(signal.SIGTERM)
    assert service.wait(timeout=30) == 0
    # ... and an older kiosk version's leaky line, which the bundle must scrub.
    day = sorted(events.glob("*.jsonl"))[-1]
    with day.open("a") as file:
        leak = {
            "t": time.time(),
            "id": "log.error",
            "level": "error",
            "kiosk": "canary-kiosk",
            "session": "",
            "n": 1,
            "fields": {"detail": f"for {CASES[1]} / JC1:T:{CARD_TOKEN}"},
        }
        file.write(json.dumps(leak) + "\n")  # fmt: skip
    return config


def _all_text(directory: Path) -> str:
    return "".join(p.read_text() for p in directory.glob("*.jsonl"))


def members(bundle: Path) -> dict[str, bytes]:
    with tarfile.open(bundle, "r:gz") as tar:
        return {
            m.name.removeprefix("support-bundle/"): tar.extractfile(m).read()  # type: ignore[union-attr]
            for m in tar.getmembers()
        }


def test_the_bundle_holds_no_case_number_card_token_or_secret(
    canary_kiosk: Path, state_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bundle.tar.gz"
    done = kiosk(state_dir, "support-bundle", "--out", str(out), "--config", str(canary_kiosk))
    assert done.returncode == 0, done.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    files = members(out)
    expected = {"manifest.json", "diag.json", "config.json", "routing.json", "usb.txt",
                "scanner-options.txt", "packages.json", "systemd.txt"}  # fmt: skip
    assert expected <= set(files) and any(name.startswith("events/") for name in files)
    keys = [p.read_bytes() for p in (state_dir / "keys").iterdir()]
    forbidden = [*SECRETS, CARD_TOKEN, "CanaryCardSigningKey", "0054321", "0011223", "654321"]
    forbidden += [*CASES, *(c.lower() for c in CASES), "12345 BG 0054321", "%PDF"]
    for name, data in files.items():
        text = data.decode("utf-8")
        assert not case_numbers_in(text), (name, case_numbers_in(text))
        for canary in forbidden:
            assert canary not in text, (name, canary)
        for key in keys:
            assert key not in data and key.hex() not in text, name
    # The parts say what they should.
    manifest = json.loads(files["manifest.json"])
    assert manifest["kiosk"] == "canary-kiosk" and manifest["version"]
    assert set(manifest["files"]) == set(files) - {"manifest.json"}
    for name, entry in manifest["files"].items():
        assert entry == {
            "sha256": hashlib.sha256(files[name]).hexdigest(),
            "size": len(files[name]),
        }
    diag = json.loads(files["diag.json"])
    assert diag["kiosk"] == "canary-kiosk" and {"identity", "outbox"} <= {
        c["id"] for c in diag["checks"]
    }
    routing = json.loads(files["routing.json"])
    table = (tmp_path / "routing.toml").read_bytes()
    assert routing["sha256"] == hashlib.sha256(table).hexdigest()
    config = json.loads(files["config.json"])["settings"]
    assert config["delivery"]["token_file"].endswith("inbox-token")  # a path may stay
    assert config["routing"]["sync_url"] == "https://routing.example/table.toml?key=[redacted]"
    assert "All options specific to device `test:0'" in files["scanner-options.txt"].decode()
    events = b"".join(data for name, data in files.items() if name.startswith("events/"))
    assert b'"delivery.failed"' in events and b"[case]" in events and b"[card]" in events
    packages = json.loads(files["packages.json"])
    assert packages["python"]["msgspec"] and "libsane1" in packages["debian"]


def test_a_configuration_that_does_not_load_still_gives_a_redacted_bundle(
    tmp_path: Path, state_dir: Path
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[kiosk]\nid = "broken"\n[routing]\n'
        'sync_url = "https://kiosk:CanaryPassw0rd@routing.example/t.toml"\n'
        '[delivery]\npassword = "CanaryPassw0rd"\n'
    )
    out = tmp_path / "bundle.tar.gz"
    done = kiosk(state_dir, "support-bundle", "--out", str(out), "--config", str(config))
    assert done.returncode == 0, done.stderr
    files = members(out)
    assert all(b"CanaryPassw0rd" not in data for data in files.values())
    settings = json.loads(files["config.json"])["settings"]
    assert settings["routing"]["sync_url"] == "https://[redacted]@routing.example/t.toml"
    assert settings["delivery"]["password"] == "[redacted]"
    assert "credentials in the URL are refused" in json.loads(files["diag.json"])["problem"]


def test_the_embedded_defaults_go_in_as_their_values() -> None:
    config = embedded_config()
    shown = json.loads(json.dumps(configuration(None, config), default=str))
    assert shown["origin"] == "embedded defaults"
    assert shown["settings"]["kiosk_id"] == config.kiosk_id
    assert shown["settings"]["scanner"]["device"] == "test:0"  # the records, as tables
    assert shown["settings"]["receipt"]["keep_index_days"] == config.receipt.keep_index_days


def test_secret_values_go_and_paths_stay() -> None:
    data = {"token_file": "/etc/kiosk/token", "client_key": "/etc/kiosk/k.key", "api_token": "x",
            "inline": "-----BEGIN PRIVATE KEY-----\nabc", "lookup": "smtp://a:b@h/x"}  # fmt: skip
    assert redact(data) == {
        "token_file": "/etc/kiosk/token", "client_key": "/etc/kiosk/k.key",
        "api_token": "[redacted]", "inline": "[redacted]", "lookup": "smtp://[redacted]@h/x",
    }  # fmt: skip


def test_the_debian_packages_are_dev_sh_s() -> None:
    script = (ROOT / "dev.sh").read_text()
    block = re.search(r"APT_PACKAGES=\((.*?)\n\)", script, re.DOTALL)
    assert block is not None
    listed = [w for line in block.group(1).splitlines() for w in line.split("#")[0].split()]
    assert set(DEBIAN_PACKAGES) <= set(listed)  # no stale name in the installed kiosk's list
    assert debian_packages() == [*DEBIAN_PACKAGES, *(n for n in listed if n not in DEBIAN_PACKAGES)]
