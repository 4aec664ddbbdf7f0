"""Bearer-token identity: who is calling, decided from call metadata only.

Tokens are compared in constant time. The caller's claimed pod id in a request body never
grants anything; only the token does.
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc

from slipstream.core.errors import PermissionDenied, Unauthenticated

AUTHORIZATION = "authorization"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: the admin, or one pod."""

    pod_id: str | None

    @property
    def is_admin(self) -> bool:
        return self.pod_id is None

    def require_admin(self, action: str) -> None:
        if not self.is_admin:
            raise PermissionDenied(f"{action} needs the admin token")

    def require_pod_or_admin(self, pod_id: str, action: str) -> None:
        """Allow the admin, or the pod acting on itself; a pod can never act as another pod."""
        if not self.is_admin and self.pod_id != pod_id:
            raise PermissionDenied(f"pod {self.pod_id!r} may not {action} pod {pod_id!r}")


ADMIN = Principal(pod_id=None)


ADMIN_TOKEN_ENV = "SLIPSTREAM_ADMIN_TOKEN"
ADMIN_TOKEN_FILE = "admin.token"


def resolve_admin_token(configured: str | None, data_dir: Path) -> str:
    """The configured admin token, else $SLIPSTREAM_ADMIN_TOKEN, else data_dir/admin.token (created 0600)."""
    if configured:
        return configured
    if os.environ.get(ADMIN_TOKEN_ENV):
        return os.environ[ADMIN_TOKEN_ENV]
    path = data_dir / ADMIN_TOKEN_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(new_token())
    return path.read_text().strip()


def new_token() -> str:
    """Return a fresh random token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def bearer_metadata(token: str) -> tuple[tuple[str, str], ...]:
    """Call metadata that presents `token`."""
    return ((AUTHORIZATION, f"Bearer {token}"),)


def token_from_metadata(metadata: Iterable[Any] | None) -> str:
    """Extract the bearer token, or raise Unauthenticated."""
    for key, value in metadata or ():
        if key.lower() == AUTHORIZATION:
            text = value.decode() if isinstance(value, bytes) else value
            scheme, _, token = text.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise Unauthenticated("authorization metadata must be 'Bearer <token>'")
            return token.strip()
    raise Unauthenticated("missing 'authorization: Bearer <token>' metadata")


def same_token(presented: str, expected: str) -> bool:
    return hmac.compare_digest(presented.encode(), expected.encode())


def identify(metadata: Iterable[Any] | None, admin_token: str, pod_tokens: Mapping[str, str]) -> Principal:
    """Return the principal the token belongs to; an unknown token is PERMISSION_DENIED."""
    token = token_from_metadata(metadata)
    if admin_token and same_token(token, admin_token):
        return ADMIN
    for pod_id, pod_token in pod_tokens.items():
        if same_token(token, pod_token):
            return Principal(pod_id=pod_id)
    raise PermissionDenied("unknown token")


class ReadWriteAccess:
    """Services whose writes are the admin's and whose reads are also open to named reader tokens."""

    def __init__(self, admin_token: str, reader_tokens: Mapping[str, str]) -> None:
        self.admin_token = admin_token
        self.reader_tokens = dict(reader_tokens)

    def require_read(self, context: grpc.aio.ServicerContext) -> None:
        identify(context.invocation_metadata(), self.admin_token, self.reader_tokens)

    def require_write(self, context: grpc.aio.ServicerContext) -> None:
        principal = identify(context.invocation_metadata(), self.admin_token, self.reader_tokens)
        if not principal.is_admin:
            raise PermissionDenied(f"{principal.pod_id!r} may read but not write")
