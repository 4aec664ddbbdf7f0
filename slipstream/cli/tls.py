"""`slipstream tls init`: throw-away certificates to try TLS and mutual TLS in one command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from slipstream.core.errors import InvalidArgument
from slipstream.transport.certs import DEFAULT_HOSTS, init_directory


def cmd_tls_init(args: argparse.Namespace) -> int:
    directory = Path(args.directory)
    try:
        written = init_directory(directory, args.pod, args.host or DEFAULT_HOSTS)
    except (FileExistsError, InvalidArgument) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    print(
        f"serve:  slipstream serve --tls-cert {directory}/server.pem --tls-key {directory}/server-key.pem"
        f" [--tls-client-ca {directory}/ca.pem]\n"
        f"dial:   slipstream --tls-ca {directory}/ca.pem"
        f" [--tls-client-cert {directory}/client.pem --tls-client-key {directory}/client-key.pem] pods\n"
        f"a pod:  present {directory}/pod-POD.pem and pod-POD-key.pem (it names the pod, for mTLS)"
    )
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    tls = sub.add_parser("tls", help="transport security helpers")
    tls_sub = tls.add_subparsers(dest="tls_command", required=True)
    init = tls_sub.add_parser(
        "init", help="write a throw-away CA, a server certificate, an operator's and one per pod into DIR"
    )
    init.add_argument("directory", metavar="DIR", help="where to write the PEM files (must not hold them yet)")
    init.add_argument("--pod", action="append", default=[], metavar="POD", help="a pod id to issue a certificate for")
    init.add_argument(
        "--host",
        action="append",
        default=[],
        metavar="HOST",
        help=f"a name or IP the servers are dialled at (default {', '.join(DEFAULT_HOSTS)})",
    )
    init.set_defaults(func=cmd_tls_init)
