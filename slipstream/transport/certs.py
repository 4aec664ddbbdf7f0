"""Throw-away certificates for trying TLS and mTLS: a CA, a server certificate, per-pod client ones.

Not a PKI: the CA key is written next to the certificates so more pods can be added, and
certificates live a year. Production deployments bring their own CA; the layout stays the same.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from slipstream.core.model import validate_pod_id
from slipstream.transport.tls import pod_uri

DEFAULT_HOSTS = ("127.0.0.1", "localhost")
VALIDITY = datetime.timedelta(days=365)
PrivateKey = ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key, both PEM."""

    cert_pem: bytes
    key_pem: bytes


def _key() -> PrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "slipstream"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _general_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def new_ca(common_name: str = "slipstream throw-away CA") -> Issued:
    """Return a self-signed CA that may sign leaf certificates only."""
    key = _key()
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


def issue(ca: Issued, common_name: str, hosts: Sequence[str] = DEFAULT_HOSTS, pod_id: str | None = None) -> Issued:
    """Sign a leaf certificate usable to serve `hosts` and to authenticate as a client.

    With `pod_id`, a URI SAN spiffe://slipstream/pod/<pod_id> names the pod for mTLS.
    """
    ca_cert = x509.load_pem_x509_certificate(ca.cert_pem)
    ca_key = serialization.load_pem_private_key(ca.key_pem, password=None)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
        raise ValueError("the CA key must be an EC key (as `slipstream tls init` writes)")
    names: list[x509.GeneralName] = [_general_name(host) for host in hosts]
    if pod_id is not None:
        names.append(x509.UniformResourceIdentifier(pod_uri(validate_pod_id(pod_id, "pod_id"))))
    key = _key()
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    if names:  # an operator's client certificate names nothing: its token says who it is
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    cert = builder.sign(ca_key, hashes.SHA256())
    return Issued(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


def _write(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def write_issued(directory: Path, stem: str, issued: Issued) -> tuple[Path, Path]:
    """Write STEM.pem and STEM-key.pem (0600); refuse to overwrite either."""
    cert_path, key_path = directory / f"{stem}.pem", directory / f"{stem}-key.pem"
    for path in (cert_path, key_path):
        if path.exists():
            raise FileExistsError(f"{path} exists; pick an empty directory")
    _write(cert_path, issued.cert_pem, 0o644)
    _write(key_path, issued.key_pem, 0o600)
    return cert_path, key_path


def init_directory(directory: Path, pod_ids: Sequence[str], hosts: Sequence[str] = DEFAULT_HOSTS) -> list[Path]:
    """Write a fresh CA (ca), a server certificate (server), a client one naming no pod (client) and
    one per pod (pod-<id>, which also serves the pod's own endpoint); return the certificate paths."""
    for pod_id in pod_ids:
        validate_pod_id(pod_id, "--pod")
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    ca = new_ca()
    written = [write_issued(directory, "ca", ca)[0]]
    written.append(write_issued(directory, "server", issue(ca, "slipstream server", hosts))[0])
    written.append(write_issued(directory, "client", issue(ca, "slipstream operator", ()))[0])
    for pod_id in pod_ids:
        written.append(write_issued(directory, f"pod-{pod_id}", issue(ca, f"pod {pod_id}", hosts, pod_id))[0])
    return written
