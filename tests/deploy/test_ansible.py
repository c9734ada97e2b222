"""The fleet role (deploy/ansible/): ansible-lint clean, and applied to a fresh Debian 12
root through Ansible's chroot connection twice: the first run installs and configures the
kiosk, the second changes nothing."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy import nspawn
from tests.deploy.conftest import TIMINGS
from tests.tlsutil import make_pki

pytestmark = [pytest.mark.slow, pytest.mark.deploy, pytest.mark.timeout(1800)]

ANSIBLE = Path(__file__).resolve().parents[2] / "deploy" / "ansible"


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (APT_PACKAGES in dev.sh)")
    return path


def test_ansible_lint_is_clean() -> None:
    result = subprocess.run(
        [tool("ansible-lint"), "--nocolor", "-q"],
        cwd=ANSIBLE,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def chroot(deploy_work: Path) -> Iterator[Path]:
    """A fresh root with what Ansible needs on a managed host (python3, python3-apt: a
    Debian standard system has both), /dev and /proc mounted as a chroot needs them."""
    why = nspawn.missing_tools()
    if why:
        pytest.skip(why)
    root = nspawn.fresh_root(deploy_work / "chroot")
    prepared = nspawn.run_in_root(
        root,
        ["sh", "-c", "apt-get update -qq && apt-get install -y -q python3 python3-apt"],
        binds=(f"{nspawn.apt_archives()}:/var/cache/apt/archives",),
    )
    assert prepared.returncode == 0, prepared.stdout[-2000:] + prepared.stderr[-2000:]
    shutil.copy("/etc/resolv.conf", root / "etc/resolv.conf")
    archives = root / "var/cache/apt/archives"
    try:
        subprocess.run(["mount", "--bind", "/dev", str(root / "dev")], check=True)
        subprocess.run(["mount", "-t", "proc", "proc", str(root / "proc")], check=True)
        subprocess.run(["mount", "--bind", str(nspawn.apt_archives()), str(archives)], check=True)
        yield root
    finally:
        for mount in sorted(nspawn.mounted_below(root), reverse=True):
            subprocess.run(["umount", "-l", mount], check=False)
        if not nspawn.mounted_below(root):  # never delete through a mount of the host's
            shutil.rmtree(root, ignore_errors=True)


def playbook(root: Path, inventory: Path) -> tuple[int, str]:
    env = {
        **os.environ,
        "ANSIBLE_CONFIG": str(ANSIBLE / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
    }
    env.pop("KIOSK_STATE_DIR", None)
    result = subprocess.run(
        [tool("ansible-playbook"), "-i", str(inventory), "site.yml"],
        cwd=ANSIBLE,
        capture_output=True,
        text=True,
        timeout=1200,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    recap = re.search(r"changed=(\d+)", result.stdout.rsplit("PLAY RECAP", 1)[-1])
    assert recap is not None, result.stdout[-2000:]
    return int(recap.group(1)), result.stdout


def test_the_role_applies_to_a_fresh_root_and_a_second_run_changes_nothing(
    chroot: Path, deb: Path, tmp_path: Path
) -> None:
    pki = make_pki(tmp_path / "pki")
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(
        f"""
kiosks:
  hosts:
    kiosk-test-01:
      ansible_host: {chroot}
      ansible_connection: community.general.chroot
      ansible_become: false
      ansible_python_interpreter: /usr/bin/python3
  vars:
    kiosk_package: {deb}
    kiosk_id: test-01
    kiosk_site_name: Jobcenter Teststadt
    kiosk_routing_sync_url: https://fachverfahren.jobcenter.example/kiosk/routing.toml
    kiosk_manage_services: false
    kiosk_pull_repo: https://git.jobcenter.example/kiosk-fleet.git
    kiosk_inbox_ca: {json.dumps(pki.ca_cert.read_text())}
    kiosk_client_cert: {json.dumps(pki.client_cert.read_text())}
    kiosk_client_key: {json.dumps(pki.client_key.read_text())}
    kiosk_staff_card_key: "{secrets.token_hex(32)}"
"""
    )
    started = time.monotonic()
    changed, _ = playbook(chroot, inventory)
    TIMINGS["ansible: first run"] = time.monotonic() - started
    assert changed > 0
    started = time.monotonic()
    changed, output = playbook(chroot, inventory)
    TIMINGS["ansible: second run"] = time.monotonic() - started
    assert changed == 0, output[-4000:]
    # What the first run left: the package, the configuration, the keys, the timers.
    assert (chroot / "opt/jobcenter-kiosk/bin/kiosk").is_file()
    config = (chroot / "etc/kiosk/kiosk.toml").read_text()
    assert 'id = "test-01"' in config and "sync_url" in config
    key = chroot / "etc/kiosk/client.key"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    assert oct((chroot / "etc/kiosk/staff-card.key").stat().st_mode & 0o777) == "0o600"
    wants = chroot / "etc/systemd/system/timers.target.wants"
    # (symlinks to paths inside the root: is_symlink, not exists)
    assert (wants / "kiosk-ansible-pull.timer").is_symlink()
    assert (wants / "kiosk-routing-sync.timer").is_symlink()
    multi_user = chroot / "etc/systemd/system/multi-user.target.wants"
    assert (multi_user / "kiosk-deliver.service").is_symlink()
