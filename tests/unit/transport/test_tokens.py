"""Tokens decide the role; the request body never does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from slipstream.auditor.settings import load_auditor_settings
from slipstream.core.config import ConfigError
from slipstream.core.errors import PermissionDenied, Unauthenticated
from slipstream.federation.settings import load_settings
from slipstream.gateway.settings import load_gateway_settings
from slipstream.optimizer.settings import load_optimizer_settings
from slipstream.orchestrator.settings import load_orchestrator_settings
from slipstream.transport import auth
from slipstream.transport.policy import Role

TOKENS = auth.Tokens(
    "admin-secret", {"alpha": "alpha-secret"}, auditors={"risk": "risk-secret"}, viewers={"board": "board-secret"}
)


@pytest.mark.parametrize(
    ("token", "role", "name"),
    [
        ("admin-secret", Role.ADMIN, ""),
        ("alpha-secret", Role.POD, "alpha"),
        ("risk-secret", Role.AUDITOR, "risk"),
        ("board-secret", Role.VIEWER, "board"),
    ],
)
def test_each_token_is_its_role(token: str, role: Role, name: str) -> None:
    principal = TOKENS.identify(auth.bearer_metadata(token))

    assert (principal.role, principal.name) == (role, name)
    assert principal.pod_id == (name if role is Role.POD else None)


def test_live_pod_tokens_are_read_on_every_call() -> None:
    issued: dict[str, str] = {}
    tokens = auth.Tokens("admin-secret", lambda: issued)
    with pytest.raises(PermissionDenied):
        tokens.identify(auth.bearer_metadata("new-secret"))

    issued["gamma"] = "new-secret"

    assert tokens.identify(auth.bearer_metadata("new-secret")).pod_id == "gamma"


@pytest.mark.parametrize("metadata", [None, (("authorization", "Basic abc"),), (("authorization", "Bearer  "),)])
def test_a_missing_or_malformed_token_is_unauthenticated(metadata: tuple[tuple[str, str], ...] | None) -> None:
    with pytest.raises(Unauthenticated):
        TOKENS.identify(metadata)


def test_an_unknown_token_is_permission_denied_and_an_empty_admin_token_matches_nothing() -> None:
    with pytest.raises(PermissionDenied):
        TOKENS.identify(auth.bearer_metadata("guess"))
    with pytest.raises(PermissionDenied):
        auth.Tokens("").identify(auth.bearer_metadata("x"))


def test_a_pod_acts_only_on_itself_while_other_roles_name_any_pod() -> None:
    with pytest.raises(PermissionDenied, match="'alpha' may not read pod 'beta'"):
        auth.Principal(Role.POD, "alpha").require_own_pod("beta", "read")
    auth.Principal(Role.POD, "alpha").require_own_pod("alpha", "read")
    auth.Principal(Role.AUDITOR, "risk").require_own_pod("beta", "read")


def test_token_tables_must_map_names_to_tokens() -> None:
    assert auth.token_table({"viewer_tokens": {"board": "t"}}, "viewer_tokens") == {"board": "t"}
    assert auth.token_table({}, "viewer_tokens") == {}
    for bad in ("t", {"board": 1}, {"board": ""}):
        with pytest.raises(ConfigError, match="viewer_tokens"):
            auth.token_table({"viewer_tokens": bad}, "viewer_tokens")


def test_outside_an_authorized_call_there_is_no_caller() -> None:
    with pytest.raises(PermissionDenied):
        auth.caller()


ROLE_TABLES = '[auditor_tokens]\nrisk = "a"\n[viewer_tokens]\nboard = "v"\n'


def _loaded(tmp_path: Path, service: str) -> Any:
    config = tmp_path / f"{service}.toml"
    addresses = 'federation = "127.0.0.1:1"\ngateway = "127.0.0.1:2"\noptimizer = "127.0.0.1:3"\nlake = "127.0.0.1:4"\n'
    config.write_text(("" if service == "federation" else addresses) + ROLE_TABLES)
    loaders: dict[str, Callable[[], Any]] = {
        "federation": lambda: load_settings(config, data_dir=tmp_path),
        "gateway": lambda: load_gateway_settings(config, tmp_path, None),
        "auditor": lambda: load_auditor_settings(config, tmp_path, None),
        "optimizer": lambda: load_optimizer_settings(config, tmp_path, None),
        "orchestrator": lambda: load_orchestrator_settings(config, tmp_path, None),
    }
    return loaders[service]()


@pytest.mark.parametrize("service", ["federation", "gateway", "auditor", "optimizer", "orchestrator"])
def test_every_service_reads_its_auditor_and_viewer_tables(tmp_path: Path, service: str) -> None:
    settings = _loaded(tmp_path, service)

    assert (settings.auditor_tokens, settings.viewer_tokens) == ({"risk": "a"}, {"board": "v"})
