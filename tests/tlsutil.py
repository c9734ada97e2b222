"""A private CA and server/client certificates for TLS tests on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class Pki:
    ca_cert: Path  # the private CA bundle a client trusts
    server_cert: Path  # valid for localhost and 127.0.0.1
    server_key: Path
    client_cert: Path  # for mTLS
    client_key: Path
    expired_cert: Path  # a server certificate that expired yesterday
    expired_key: Path
    foreign_cert: Path  # valid dates, signed by another CA
    foreign_key: Path
    # Valid, but only for SHORT_DAYS more days: "renew it soon" (under diag's 21 days)
    short_cert: Path = Path()  # a server certificate (localhost and 127.0.0.1)
    short_key: Path = Path()
    short_client_cert: Path = Path()  # a client certificate for mTLS
    short_client_key: Path = Path()


SHORT_DAYS = 10


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _write(path: Path, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> Path:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    path.with_suffix(".key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return path


def _ca(common: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common))
        .issuer_name(_name(common))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _leaf(
    ca: tuple[x509.Certificate, ec.EllipticCurvePrivateKey],
    common: str,
    *,
    client: bool = False,
    expired: bool = False,
    days: int = 30,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A leaf certificate valid from yesterday for ``days`` more days (or one that expired
    yesterday)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    start, end = (
        (now - dt.timedelta(days=10), now - dt.timedelta(days=1))
        if expired
        else (now - dt.timedelta(days=1), now + dt.timedelta(days=days))
    )
    usage = ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common))
        .issuer_name(ca[0].subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    )
    if not client:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
    return builder.sign(ca[1], hashes.SHA256()), key


def make_pki(directory: Path) -> Pki:
    directory.mkdir(parents=True, exist_ok=True)
    ca = _ca("Kiosk Test CA")
    other = _ca("Someone Else's CA")
    paths = {
        "server": _write(directory / "server.pem", *_leaf(ca, "localhost")),
        "client": _write(directory / "client.pem", *_leaf(ca, "kiosk-test", client=True)),
        "expired": _write(directory / "expired.pem", *_leaf(ca, "localhost", expired=True)),
        "foreign": _write(directory / "foreign.pem", *_leaf(other, "localhost")),
        "short": _write(directory / "short.pem", *_leaf(ca, "localhost", days=SHORT_DAYS)),
        "short_client": _write(
            directory / "short-client.pem", *_leaf(ca, "kiosk-test", client=True, days=SHORT_DAYS)
        ),
    }
    ca_path = directory / "ca.pem"
    ca_path.write_bytes(ca[0].public_bytes(serialization.Encoding.PEM))
    return Pki(
        ca_path,
        paths["server"],
        paths["server"].with_suffix(".key"),
        paths["client"],
        paths["client"].with_suffix(".key"),
        paths["expired"],
        paths["expired"].with_suffix(".key"),
        paths["foreign"],
        paths["foreign"].with_suffix(".key"),
        paths["short"],
        paths["short"].with_suffix(".key"),
        paths["short_client"],
        paths["short_client"].with_suffix(".key"),
    )
