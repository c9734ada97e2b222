"""Why SANE may see no scanner: which configuration it reads, which backends that loads, and
which USB devices the machine has (and whether this process may open them).

Facts only, read from files (dll.conf, /sys/bus/usb/devices, /dev/bus/usb): nothing here
opens SANE or a device. Field support reads them from ``kiosk devices`` (and diagnostics).
"""

from __future__ import annotations

import grp
import os
import re
import stat
import struct
from dataclasses import dataclass
from pathlib import Path

SYSTEM_SANE_CONFIG = Path("/etc/sane.d")
SYS_USB = Path("/sys/bus/usb/devices")
DEV_USB = Path("/dev/bus/usb")
# USB class codes that are never a scanner: hubs (09); input devices (03), mass storage (08)
# and the like are listed too, since a scanner may present itself as "vendor specific" (ff).
HUB_CLASS = "09"


@dataclass(frozen=True, slots=True)
class SaneSetup:
    config_dir: Path  # where SANE reads its configuration (SANE_CONFIG_DIR, else /etc/sane.d)
    from_env: bool  # the directory came from SANE_CONFIG_DIR / [scanner] sane_config_dir
    backends: tuple[str, ...]  # what dll.conf (and dll.d/*) loads, in order
    problem: str | None = None  # why the configuration cannot load anything


@dataclass(frozen=True, slots=True)
class UsbDevice:
    bus: int
    address: int
    vendor_id: str  # 4 hex digits, as lsusb shows them
    product_id: str
    name: str  # the device's own manufacturer and product strings, when it has them
    node: str  # its device node's mode and group, e.g. "crw-rw---- group scanner"
    accessible: bool  # this process may open the node read-write (root always may)

    def __str__(self) -> str:
        where = f"{self.bus:03d}:{self.address:03d} {self.vendor_id}:{self.product_id}"
        you = "this user may open it" if self.accessible else "this user may not open it"
        return f"{where} {self.name} ({self.node}; {you})"


_BACKEND = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*(?:#.*)?$")


def sane_setup(config_dir: Path | None) -> SaneSetup:
    """What SANE will read when the kiosk scans with ``config_dir`` (None: the system's)."""
    chosen = config_dir or SYSTEM_SANE_CONFIG
    dll = chosen / "dll.conf"
    files = [dll, *sorted((chosen / "dll.d").glob("*"))] if chosen.is_dir() else []
    backends: list[str] = []
    for path in files:
        try:
            lines = path.read_text(errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            found = _BACKEND.match(line)
            if found and found.group(1) not in backends:
                backends.append(found.group(1))
    problem = None
    if not chosen.is_dir():
        problem = f"{chosen} does not exist"
    elif not dll.is_file():
        problem = f"{dll} is missing: SANE loads no backend"
    elif not backends:
        problem = f"{dll} names no backend (every line is commented out)"
    return SaneSetup(chosen, config_dir is not None, tuple(backends), problem)


def usb_devices(sys_usb: Path = SYS_USB, dev_usb: Path = DEV_USB) -> list[UsbDevice]:
    """The USB devices the kernel sees, without hubs."""
    found = []
    for device in sorted(sys_usb.glob("*")):
        if ":" in device.name:  # an interface, not a device
            continue
        vendor = _read(device / "idVendor")
        if not vendor or _read(device / "bDeviceClass") == HUB_CLASS:
            continue
        bus, address = int(_read(device / "busnum") or 0), int(_read(device / "devnum") or 0)
        node = dev_usb / f"{bus:03d}" / f"{address:03d}"
        name = " ".join(p for p in (_read(device / "manufacturer"), _read(device / "product")) if p)
        found.append(
            UsbDevice(
                bus, address, vendor, _read(device / "idProduct"), name or "(no name)",
                _node(node), os.access(node, os.R_OK | os.W_OK),
            )
        )  # fmt: skip
    return found


def _node(node: Path) -> str:
    """Mode bits and group of a device node: who may open it, whoever asks (root may
    open anything, so what root can open says nothing about the kiosk's user)."""
    try:
        info = node.stat()
    except OSError:
        return "no device node"
    try:
        group = grp.getgrgid(info.st_gid).gr_name
    except KeyError:
        group = str(info.st_gid)
    return f"{stat.filemode(info.st_mode)} group {group}"


_LIBUSB = re.compile(r"libusb:(\d{3}):(\d{3})")
ACL = "system.posix_acl_access"  # what udev's uaccess tag (logind) sets on the node


def usb_node(device: str, dev_usb: Path = DEV_USB) -> Path | None:
    """The device node of a SANE device named by its USB address ("fujitsu:libusb:001:004");
    None for a network or test device, or a backend naming it otherwise."""
    found = _LIBUSB.search(device)
    return dev_usb / found.group(1) / found.group(2) if found else None


def access_path(node: Path, uid: int, groups: frozenset[int]) -> str:
    """Which grant lets the user ``uid`` (in ``groups``) open ``node`` read-write, worked out
    from its mode bits, owner, group and ACL (not by opening it: root may open anything)."""
    try:
        info = node.stat()
    except OSError:
        return "none: no device node"
    rw = stat.S_IRUSR | stat.S_IWUSR
    if uid == 0:
        return "root (the kiosk user needs uaccess or the scanner group)"
    if info.st_uid == uid and info.st_mode & rw == rw:
        return "owner"
    if info.st_mode & (stat.S_IROTH | stat.S_IWOTH) == stat.S_IROTH | stat.S_IWOTH:
        return "everyone (mode o+rw)"
    group_rw = stat.S_IRGRP | stat.S_IWGRP
    if info.st_gid in groups and info.st_mode & group_rw == group_rw:
        try:
            name = grp.getgrgid(info.st_gid).gr_name
        except KeyError:
            name = str(info.st_gid)
        return f"group {name}"
    if _acl_grants(node, uid, groups):
        return "ACL (udev uaccess)"
    return "none: this user may not open it"


def _acl_grants(node: Path, uid: int, groups: frozenset[int]) -> bool:
    """Whether the node's POSIX ACL (the xattr's binary form: a version, then entries of
    tag, permissions and id) gives ``uid`` or one of ``groups`` read-write, within its mask."""
    try:
        raw = os.getxattr(node, ACL)
    except OSError:
        return False
    entries = [struct.unpack_from("<HHI", raw, offset) for offset in range(4, len(raw) - 7, 8)]
    mask = next((perm for tag, perm, _ in entries if tag == 0x10), 0o7)
    rw = 0o6
    for tag, perm, who in entries:
        named_user = tag == 0x02 and who == uid
        named_group = tag == 0x08 and who in groups
        if (named_user or named_group) and perm & mask & rw == rw:
            return True
    return False


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace").strip()
    except OSError:
        return ""
