"""Bearer-token identity and its enforcement: who is calling, decided from call metadata only.

Tokens are compared in constant time. The caller's claimed pod id in a request body never
grants anything; only the token does. Every server checks each call against the policy table
(slipstream.transport.policy) before its servicer runs; the servicer reads the caller with
`caller()` only to keep a pod to its own pod id.
"""

from __future__ import annotations

import contextvars
import hmac
import inspect
import os
import secrets
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc

from slipstream.core.config import ConfigError
from slipstream.core.errors import PermissionDenied, SlipstreamError, Unauthenticated
from slipstream.transport import policy
from slipstream.transport.errors import status_for
from slipstream.transport.policy import Role
from slipstream.transport.tls import check_peer

AUTHORIZATION = "authorization"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: its role, and the pod id (pods) or token name (auditors, viewers)."""

    role: Role
    name: str = ""

    @property
    def pod_id(self) -> str | None:
        return self.name if self.role is Role.POD else None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def describe(self) -> str:
        return "the admin" if self.is_admin else f"{self.role.value} {self.name!r}"

    def require_own_pod(self, pod_id: str, action: str) -> None:
        """Keep a pod to its own pod id; other roles the policy admitted pass."""
        if self.role is Role.POD and self.name != pod_id:
            raise PermissionDenied(f"pod {self.name!r} may not {action} pod {pod_id!r}")


ADMIN = Principal(Role.ADMIN)


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


PodTokens = Mapping[str, str] | Callable[[], Mapping[str, str]]


@dataclass(frozen=True)
class Tokens:
    """The tokens a server knows, by role (name -> token); `pods` may be live (issued at registration)."""

    admin: str = ""
    pods: PodTokens = field(default_factory=dict)
    auditors: Mapping[str, str] = field(default_factory=dict)
    viewers: Mapping[str, str] = field(default_factory=dict)

    def identify(self, metadata: Iterable[Any] | None) -> Principal:
        """Return the principal the token belongs to; an unknown token is PERMISSION_DENIED."""
        token = token_from_metadata(metadata)
        if self.admin and same_token(token, self.admin):
            return ADMIN
        pods = self.pods() if callable(self.pods) else self.pods
        for role, named in ((Role.POD, pods), (Role.AUDITOR, self.auditors), (Role.VIEWER, self.viewers)):
            for name, known in named.items():
                if same_token(token, known):
                    return Principal(role, name)
        raise PermissionDenied("unknown token")

    def authorize(self, method: str, context: grpc.aio.ServicerContext) -> Principal:
        """The caller of `method`, if the policy lets its role call it (and its certificate allows)."""
        principal = self.identify(context.invocation_metadata())
        check_peer(context, principal)
        rule = policy.rule_for(method)
        if rule is None or principal.role not in rule.roles:
            raise PermissionDenied(f"{principal.describe()} may not call {method.lstrip('/')}")
        return principal

    def authorized(self, handler: grpc.RpcMethodHandler, method: str) -> grpc.RpcMethodHandler:
        """The same handler, refusing callers the policy does not admit before it runs."""
        kinds = ("unary_unary", "unary_stream", "stream_unary", "stream_stream")
        fields = {k: _authorized(getattr(handler, k), self, method) for k in kinds if getattr(handler, k) is not None}
        return handler._replace(**fields)  # type: ignore[attr-defined, no-any-return]


def token_table(raw: Mapping[str, Any], name: str) -> dict[str, str]:
    """A `[name]` table of a configuration file (token name = token), or {} when absent."""
    table = raw.get(name, {})
    if not isinstance(table, Mapping) or not all(isinstance(v, str) and v for v in table.values()):
        raise ConfigError(f'{name}: must be a table of name = "token" (non-empty strings)')
    return {str(key): value for key, value in table.items()}


_CALLER: contextvars.ContextVar[Principal] = contextvars.ContextVar("slipstream_caller")


def caller() -> Principal:
    """The authorized caller of the RPC being served (set before the servicer runs)."""
    try:
        return _CALLER.get()
    except LookupError:
        raise PermissionDenied("the call was not authorized") from None


async def _admit(tokens: Tokens, method: str, context: grpc.aio.ServicerContext) -> None:
    try:
        _CALLER.set(tokens.authorize(method, context))
    except SlipstreamError as error:
        await context.abort_with_status(status_for(error))


def _authorized(behaviour: Callable[..., Any], tokens: Tokens, method: str) -> Callable[..., Any]:
    # Each call runs in its own task, so the caller set here is seen only by this call.
    if inspect.isasyncgenfunction(behaviour):

        async def streaming(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
            await _admit(tokens, method, context)
            async for response in behaviour(request, context):
                yield response

        return streaming

    async def unary(request: Any, context: grpc.aio.ServicerContext) -> Any:
        await _admit(tokens, method, context)
        return await behaviour(request, context)

    return unary
