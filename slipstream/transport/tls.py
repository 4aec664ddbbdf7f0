"""Transport security: TLS for every server, optional mutual TLS, and the one place channels are opened.

Tokens stay the identity. Mutual TLS adds a second, narrower check: a client certificate may name
a pod (URI SAN spiffe://slipstream/pod/<pod_id>), and then only that pod's token is accepted over
it. A certificate that names no pod (an operator's, a service's) leaves the token to decide.
"""

from __future__ import annotations

import argparse
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from slipstream.core.config import ConfigError
from slipstream.core.errors import PermissionDenied
from slipstream.transport.server import CHANNEL_OPTIONS

if TYPE_CHECKING:
    from slipstream.transport.auth import Principal

POD_URI_PREFIX = "spiffe://slipstream/pod/"
Options = tuple[tuple[str, Any], ...]


class TlsConfigError(ConfigError):
    """A TLS file is missing, unreadable or not what its key says; the message names the key and file."""


@dataclass(frozen=True)
class ServerTls:
    """What a server presents; with `client_ca`, every client must present a certificate it signed."""

    cert_chain: bytes
    private_key: bytes = field(repr=False)
    client_ca: bytes | None = None

    @property
    def mutual(self) -> bool:
        return self.client_ca is not None

    def credentials(self) -> grpc.ServerCredentials:
        return grpc.ssl_server_credentials(
            [(self.private_key, self.cert_chain)], root_certificates=self.client_ca, require_client_auth=self.mutual
        )


@dataclass(frozen=True)
class ClientTls:
    """How a client verifies servers (`ca`) and, for mutual TLS, the certificate it presents."""

    ca: bytes
    cert_chain: bytes | None = None
    private_key: bytes | None = field(default=None, repr=False)
    server_name: str | None = None  # verify the server as this name instead of the dialled host

    def credentials(self) -> grpc.ChannelCredentials:
        return grpc.ssl_channel_credentials(
            root_certificates=self.ca, private_key=self.private_key, certificate_chain=self.cert_chain
        )

    def options(self) -> Options:
        return (("grpc.ssl_target_name_override", self.server_name),) if self.server_name else ()


def pod_uri(pod_id: str) -> str:
    """The URI SAN that names `pod_id` in a client certificate."""
    return f"{POD_URI_PREFIX}{pod_id}"


def _read(path: str | Path, key: str) -> bytes:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise TlsConfigError(f"{key}: cannot read {path}: {error.strerror or error}") from None
    if b"-----BEGIN" not in data:
        raise TlsConfigError(f"{key}: {path} is not PEM")
    return data


def _certificates(path: str | Path, key: str) -> tuple[bytes, list[x509.Certificate]]:
    data = _read(path, key)
    try:
        return data, x509.load_pem_x509_certificates(data)
    except ValueError:
        raise TlsConfigError(f"{key}: {path} holds no PEM certificate") from None


Labels = Mapping[str, str]  # a table key ("cert_file") -> how errors name it ("tls.cert_file", "--tls-cert")


def _key_pair(cert_file: str | Path, key_file: str | Path, labels: Labels) -> tuple[bytes, bytes]:
    """Read a certificate chain and its private key, and check that they belong together."""
    chain, certificates = _certificates(cert_file, labels["cert_file"])
    key_data = _read(key_file, labels["key_file"])
    try:
        private_key = serialization.load_pem_private_key(key_data, password=None)
    except (ValueError, TypeError):
        raise TlsConfigError(f"{labels['key_file']}: {key_file} is not an unencrypted PEM private key") from None
    if private_key.public_key() != certificates[0].public_key():
        raise TlsConfigError(f"{labels['key_file']}: {key_file} is not the key of {cert_file}")
    return chain, key_data


def _labels(prefix: str, *keys: str) -> Labels:
    return {key: f"{prefix}{key}" for key in keys}


SERVER_LABELS = _labels("tls.", "cert_file", "key_file", "client_ca_file")
CLIENT_LABELS = _labels("client_tls.", "ca_file", "cert_file", "key_file")


def load_server_tls(
    cert_file: str | Path,
    key_file: str | Path,
    client_ca_file: str | Path | None = None,
    labels: Labels = SERVER_LABELS,
) -> ServerTls:
    """Read a server's certificate chain and key; with `client_ca_file`, require client certificates."""
    chain, key = _key_pair(cert_file, key_file, labels)
    client_ca = _certificates(client_ca_file, labels["client_ca_file"])[0] if client_ca_file else None
    return ServerTls(chain, key, client_ca)


def load_client_tls(
    ca_file: str | Path,
    cert_file: str | Path | None = None,
    key_file: str | Path | None = None,
    server_name: str | None = None,
    labels: Labels = CLIENT_LABELS,
) -> ClientTls:
    """Read the CA that signs the servers and, for mutual TLS, the client's certificate and key."""
    ca = _certificates(ca_file, labels["ca_file"])[0]
    if bool(cert_file) != bool(key_file):
        raise TlsConfigError(f"{labels['cert_file']}/{labels['key_file']}: give both or neither")
    if cert_file and key_file:
        chain, key = _key_pair(cert_file, key_file, labels)
        return ClientTls(ca, chain, key, server_name or None)
    return ClientTls(ca, server_name=server_name or None)


def _table(raw: Mapping[str, Any], name: str, allowed: set[str]) -> Mapping[str, Any] | None:
    table = raw.get(name)
    if table is None:
        return None
    if not isinstance(table, Mapping):
        raise TlsConfigError(f"{name}: must be a table ([{name}])")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise TlsConfigError(f"{name}.{unknown[0]}: unknown key (allowed: {', '.join(sorted(allowed))})")
    return table


def server_tls_from_table(raw: Mapping[str, Any], name: str = "tls") -> ServerTls | None:
    """The [tls] table of a configuration file (cert_file, key_file, client_ca_file), or None."""
    table = _table(raw, name, {"cert_file", "key_file", "client_ca_file"})
    if table is None:
        return None
    for key in ("cert_file", "key_file"):
        if not table.get(key):
            raise TlsConfigError(f"{name}.{key}: required to serve TLS")
    labels = _labels(f"{name}.", "cert_file", "key_file", "client_ca_file")
    return load_server_tls(table["cert_file"], table["key_file"], table.get("client_ca_file"), labels)


def client_tls_from_table(raw: Mapping[str, Any], name: str = "client_tls") -> ClientTls | None:
    """The [client_tls] table (ca_file; cert_file and key_file for mTLS; server_name), or None."""
    table = _table(raw, name, {"ca_file", "cert_file", "key_file", "server_name"})
    if table is None:
        return None
    if not table.get("ca_file"):
        raise TlsConfigError(f"{name}.ca_file: required to dial TLS servers")
    labels = _labels(f"{name}.", "ca_file", "cert_file", "key_file")
    return load_client_tls(
        table["ca_file"], table.get("cert_file"), table.get("key_file"), table.get("server_name"), labels
    )


def open_channel(address: str, tls: ClientTls | None = None, options: Options = CHANNEL_OPTIONS) -> grpc.Channel:
    """Open a blocking channel to `address`: TLS when `tls` is given, plaintext otherwise."""
    if tls is None:
        return grpc.insecure_channel(address, options=options)
    return grpc.secure_channel(address, tls.credentials(), options=(*options, *tls.options()))


def open_aio_channel(
    address: str, tls: ClientTls | None = None, options: Options = CHANNEL_OPTIONS
) -> grpc.aio.Channel:
    """Open an asyncio channel to `address`, like `open_channel`."""
    if tls is None:
        return grpc.aio.insecure_channel(address, options=options)
    return grpc.aio.secure_channel(address, tls.credentials(), options=(*options, *tls.options()))


@functools.lru_cache(maxsize=1024)
def pod_ids_in_certificate(pem: bytes) -> tuple[str, ...]:
    """The pod ids a certificate names in its URI SANs (cached: a pod presents the same one every poll)."""
    certificate = x509.load_pem_x509_certificate(pem)
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return ()
    uris = names.get_values_for_type(x509.UniformResourceIdentifier)
    return tuple(uri.removeprefix(POD_URI_PREFIX) for uri in uris if uri.startswith(POD_URI_PREFIX))


def peer_pod_ids(context: grpc.aio.ServicerContext) -> tuple[str, ...]:
    """The pod ids named by the verified client certificate of this call (none without mTLS)."""
    if context.peer_identity_key() is None:  # no client certificate: skip building the auth context (~4 us)
        return ()
    pem = next(iter(context.auth_context().get("x509_pem_cert", ())), None)
    return pod_ids_in_certificate(bytes(pem)) if pem else ()


def check_peer(context: grpc.aio.ServicerContext, principal: Principal) -> None:
    """Refuse a token presented over a client certificate that names another pod.

    The certificate only narrows: one naming pod B admits B's token and nothing else (not the
    admin's, an auditor's or a viewer's, not pod A's); one naming no pod, or no certificate, leaves the token to decide.
    """
    named = peer_pod_ids(context)
    if not named:
        return
    if len(named) > 1:
        raise PermissionDenied(f"the client certificate names several pods ({', '.join(named)})")
    if principal.pod_id != named[0]:
        raise PermissionDenied(f"a token of {principal.describe()} over a certificate of pod {named[0]!r}")


CA_ENV, CLIENT_CERT_ENV, CLIENT_KEY_ENV = "SLIPSTREAM_TLS_CA", "SLIPSTREAM_TLS_CLIENT_CERT", "SLIPSTREAM_TLS_CLIENT_KEY"


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """--tls-cert/--tls-key/--tls-client-ca: what a server presents (overriding the [tls] table)."""
    group = parser.add_argument_group("serving TLS (overrides the [tls] table)")
    group.add_argument("--tls-cert", metavar="FILE", help="certificate chain to serve TLS with")
    group.add_argument("--tls-key", metavar="FILE", help="its private key")
    group.add_argument("--tls-client-ca", metavar="FILE", help="require client certificates signed by this CA (mTLS)")


def add_client_arguments(parser: argparse.ArgumentParser) -> None:
    """--tls-ca/--tls-client-cert/--tls-client-key: how to dial TLS servers (from the environment too)."""
    group = parser.add_argument_group("dialling TLS servers")
    group.add_argument(
        "--tls-ca", metavar="FILE", default=os.environ.get(CA_ENV), help=f"CA of the servers (env {CA_ENV})"
    )
    group.add_argument(
        "--tls-client-cert",
        metavar="FILE",
        default=os.environ.get(CLIENT_CERT_ENV),
        help=f"certificate to present for mTLS (env {CLIENT_CERT_ENV})",
    )
    group.add_argument(
        "--tls-client-key",
        metavar="FILE",
        default=os.environ.get(CLIENT_KEY_ENV),
        help=f"its private key (env {CLIENT_KEY_ENV})",
    )


def server_tls_from_args(args: argparse.Namespace) -> ServerTls | None:
    """The server TLS the flags ask for, or None when they name no certificate (or were never added)."""
    cert, key, client_ca = (getattr(args, name, None) for name in ("tls_cert", "tls_key", "tls_client_ca"))
    if not cert and not key:
        if client_ca:
            raise TlsConfigError("--tls-client-ca: needs --tls-cert and --tls-key (mTLS is TLS first)")
        return None
    if not cert or not key:
        raise TlsConfigError("--tls-cert/--tls-key: give both")
    labels = {"cert_file": "--tls-cert", "key_file": "--tls-key", "client_ca_file": "--tls-client-ca"}
    return load_server_tls(cert, key, client_ca, labels)


def client_tls_from_args(args: argparse.Namespace) -> ClientTls | None:
    """The client TLS the flags (or environment) ask for, or None for plaintext.

    A namespace built without these flags (a script calling a command directly) dials plaintext.
    """
    ca, cert, key = (getattr(args, name, None) for name in ("tls_ca", "tls_client_cert", "tls_client_key"))
    if not ca:
        if cert or key:
            raise TlsConfigError("--tls-client-cert/--tls-client-key: need --tls-ca")
        return None
    labels = {"ca_file": "--tls-ca", "cert_file": "--tls-client-cert", "key_file": "--tls-client-key"}
    return load_client_tls(ca, cert, key, labels=labels)
