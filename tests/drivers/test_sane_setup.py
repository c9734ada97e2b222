"""Why SANE sees no scanner: its configuration, the USB devices, who may open them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from drivers.scanner.sane_setup import access_path, sane_setup, usb_devices, usb_node
from kiosk.exits import EXIT_FOR_FAULT


def test_the_backends_dll_conf_and_dll_d_load_in_order(tmp_path: Path) -> None:
    (tmp_path / "dll.d").mkdir()
    (tmp_path / "dll.conf").write_text("# comment\nnet\n#epson2\nfujitsu  # the kiosk's\n")
    (tmp_path / "dll.d" / "hplip").write_text("hpaio\nnet\n")
    setup = sane_setup(tmp_path)
    assert (setup.backends, setup.problem, setup.from_env) == (
        ("net", "fujitsu", "hpaio"),
        None,
        True,
    )


def test_a_configuration_that_loads_nothing_says_why(tmp_path: Path) -> None:
    assert "does not exist" in (sane_setup(tmp_path / "nowhere").problem or "")
    assert "dll.conf is missing" in (sane_setup(tmp_path).problem or "")
    (tmp_path / "dll.conf").write_text("#net\n#fujitsu\n")
    assert "names no backend" in (sane_setup(tmp_path).problem or "")


def fake_usb(root: Path, name: str, **files: str) -> None:
    device = root / "sys" / name
    device.mkdir(parents=True)
    for key, value in files.items():
        (device / key).write_text(value + "\n")


def test_usb_devices_name_the_node_mode_and_group_not_what_root_may_do(tmp_path: Path) -> None:
    fake_usb(tmp_path, "1-1", idVendor="04c5", idProduct="132b", bDeviceClass="00",
             busnum="1", devnum="4", manufacturer="FUJITSU", product="fi-7160")  # fmt: skip
    fake_usb(tmp_path, "usb1", idVendor="1d6b", idProduct="0002", bDeviceClass="09",
             busnum="1", devnum="1")  # a hub: left out  # fmt: skip
    (tmp_path / "sys" / "1-1:1.0").mkdir()  # an interface: left out
    node = tmp_path / "dev" / "001" / "004"
    node.parent.mkdir(parents=True)
    node.write_text("")
    node.chmod(0o660)
    (device,) = usb_devices(tmp_path / "sys", tmp_path / "dev")
    assert (device.vendor_id, device.product_id, device.name) == ("04c5", "132b", "FUJITSU fi-7160")
    assert device.node.startswith("-rw-rw---- group ")  # mode bits: true for any user
    assert str(device).startswith("001:004 04c5:132b FUJITSU fi-7160 (-rw-rw----")


def test_kiosk_devices_explains_an_empty_result(tmp_path: Path) -> None:
    """Issue 13: `kiosk devices` printed only "no scanner found"."""
    sane = tmp_path / "sane"
    sane.mkdir()
    (sane / "dll.conf").write_text("#test\n")  # nothing loaded
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\nid = "k1"\n[scanner]\nsane_config_dir = "{sane}"\n'
        f"[routing]\n"  # no table: delivery is not what this command is about
    )
    kiosk = Path(sys.executable).parent / "kiosk"
    env = {**os.environ, "KIOSK_STATE_DIR": str(tmp_path / "state")}
    out = subprocess.run(
        [str(kiosk), "devices", "--json", "--config", str(config)],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert out.returncode == EXIT_FOR_FAULT["not_found"], out.stderr
    assert json.loads(out.stdout) == []
    assert f"SANE configuration: {sane} ([scanner] sane_config_dir)" in out.stderr
    assert "names no backend" in out.stderr and "USB devices (" in out.stderr


# -- which grant lets the kiosk's user open a USB scanner ----------------------------------

KIOSK_UID, SCANNER_GID = 64000, 64001  # a kiosk user and a scanner group (need not exist)


def node(tmp_path: Path, mode: int, uid: int = 0, gid: int = 0) -> Path:
    """A stand-in for /dev/bus/usb/BBB/DDD: the grant is in its mode, owner, group, ACL."""
    path = tmp_path / "004"
    path.write_bytes(b"")
    os.chown(path, uid, gid)
    path.chmod(mode)
    return path


def test_a_sane_device_named_by_its_usb_address_has_a_node() -> None:
    assert usb_node("fujitsu:libusb:001:004", Path("/dev/bus/usb")) == Path("/dev/bus/usb/001/004")
    assert usb_node("test:0") is None and usb_node("airscan:e0:Brother MFC") is None


def test_the_grant_is_worked_out_from_mode_owner_group_and_acl(tmp_path: Path) -> None:
    kiosk, in_group = frozenset({100}), frozenset({100, SCANNER_GID})
    assert access_path(node(tmp_path, 0o660, gid=SCANNER_GID), KIOSK_UID, in_group) == (
        f"group {SCANNER_GID}"  # no such group here: its number
    )
    assert access_path(node(tmp_path, 0o660, gid=SCANNER_GID), KIOSK_UID, kiosk).startswith("none")
    assert access_path(node(tmp_path, 0o600, uid=KIOSK_UID), KIOSK_UID, kiosk) == "owner"
    assert access_path(node(tmp_path, 0o666), KIOSK_UID, kiosk) == "everyone (mode o+rw)"
    assert access_path(node(tmp_path, 0o664), KIOSK_UID, kiosk).startswith("none")  # o+r only
    assert access_path(tmp_path / "gone", KIOSK_UID, kiosk) == "none: no device node"
    assert access_path(node(tmp_path, 0o600), 0, frozenset()).startswith("root")


def test_a_uaccess_acl_for_the_user_is_named_as_such(tmp_path: Path) -> None:
    if shutil.which("setfacl") is None:
        pytest.skip("no setfacl (Debian: acl) to put an ACL on a file here")
    path = node(tmp_path, 0o660)
    subprocess.run(["setfacl", "-m", f"u:{KIOSK_UID}:rw", str(path)], check=True)
    assert access_path(path, KIOSK_UID, frozenset()) == "ACL (udev uaccess)"
    assert access_path(path, KIOSK_UID + 1, frozenset()).startswith("none")  # not for others
    subprocess.run(["setfacl", "-m", "m::r", str(path)], check=True)  # the mask takes write
    assert access_path(path, KIOSK_UID, frozenset()).startswith("none")
    subprocess.run(["setfacl", "-b", str(path)], check=True)
    subprocess.run(["setfacl", "-m", f"g:{SCANNER_GID}:rw", str(path)], check=True)
    assert access_path(path, KIOSK_UID, frozenset({SCANNER_GID})) == "ACL (udev uaccess)"
