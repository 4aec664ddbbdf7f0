"""Who may call what: the one table every server enforces and docs/authorization.md is generated from.

Roles come from the token alone. A rule marked `own_pod_only` admits a pod only for its own pod id;
the servicer enforces that from the request body, since only it knows which field names the pod.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.Enum):
    """What a token is for."""

    ADMIN = "admin"  # the operator: configures, halts, writes
    POD = "pod"  # one trading pod: its own orders, registration and snapshots; market data
    AUDITOR = "auditor"  # independent risk: reads everything, runs audits; never trades or halts
    VIEWER = "viewer"  # dashboards and reports: read-only summaries, no order data or venue ledgers


ROLES = tuple(Role)


@dataclass(frozen=True)
class Rule:
    """The roles that may call one RPC."""

    roles: frozenset[Role]
    own_pod_only: bool = False  # a pod acts on its own pod id only
    note: str = ""  # shown in the generated table


def _rule(*roles: Role, own_pod_only: bool = False, note: str = "") -> Rule:
    return Rule(frozenset(roles), own_pod_only, note)


A, P, U, V = Role.ADMIN, Role.POD, Role.AUDITOR, Role.VIEWER
WRITE = _rule(A)
READ = _rule(A, U, V)
MARKET_READ = _rule(A, P, U, V)
POD_READ = _rule(A, P, U, V, own_pod_only=True)
ORDER_READ = _rule(A, P, U, own_pod_only=True, note="admin and auditor name the pod in `pod_id`")
TRADE = _rule(P, own_pod_only=True, note="only a pod trades, always as itself (the token decides)")
CONSTITUTION = _rule(P, own_pod_only=True, note="served by each pod; the federation calls with the pod's token")

_SERVICES: dict[str, dict[str, Rule]] = {
    "FederationService": {
        "RegisterPod": _rule(A, P, own_pod_only=True),
        "DeregisterPod": _rule(A, P, own_pod_only=True),
        "ListPods": READ,
        "GetPod": POD_READ,
        "ListPodSnapshots": POD_READ,
        "HaltPod": WRITE,
        "HaltAllPods": WRITE,
        "ResumePod": WRITE,
        "PushPodConfig": WRITE,
    },
    "ConstitutionService": {"Status": CONSTITUTION, "Configure": CONSTITUTION, "Halt": CONSTITUTION},
    "GatewayService": {
        "SubmitOrder": TRADE,
        "CancelOrder": TRADE,
        "StreamOrders": TRADE,
        "CancelAllOrders": TRADE,
        "StreamExecutions": TRADE,
        "GetOrder": ORDER_READ,
        "ListOrders": ORDER_READ,
        "ListFills": ORDER_READ,
        "ListPositions": ORDER_READ,
        "ListPrices": ORDER_READ,
        "ListVenuePositions": _rule(A, U, note="a venue's own ledger"),
    },
    "DataLakeService": {
        "WriteBars": WRITE,
        "WriteTrades": WRITE,
        "QueryBars": MARKET_READ,
        "QueryTrades": MARKET_READ,
        "ListSeries": MARKET_READ,
        "GetCoverage": MARKET_READ,
    },
    "VolatilityService": {"GetForecasts": MARKET_READ, "SubscribeForecasts": MARKET_READ},
    "AuditorService": {
        "GetExposure": READ,
        "GetPodExposure": READ,
        "ListDiscrepancies": READ,
        "StreamAlerts": READ,
        "RunAudit": _rule(A, U),
    },
    "OptimizerService": {
        "RunCycle": WRITE,
        "GetAllocation": READ,
        "ListAllocations": READ,
        "GetCovariance": READ,
        "RunStressTest": READ,
        "GetCapacity": READ,
    },
    "AnalyticsService": {
        "GetShortfallReport": READ,
        "ListHighShortfallOrders": READ,
        "GetResidualReport": READ,
        "GetFillRatioReport": READ,
        "ListLifecycles": READ,
        "GetLifecycleHistory": READ,
        "EvaluateLifecycles": WRITE,
        "OverrideLifecycleStage": WRITE,
        "LiftLifecycleOverride": WRITE,
    },
    "OrchestratorService": {
        "RunFederationCycle": WRITE,
        "ListFederationCycles": READ,
        "PinAllocation": WRITE,
        "FreezeAllocation": WRITE,
        "ForceLifecycleStage": WRITE,
        "HaltPodWithReason": WRITE,
        "ResumePodWithReason": WRITE,
        "LiftOverride": WRITE,
        "ListOverrides": READ,
    },
}
PACKAGE = "slipstream.v1"

# Full gRPC method name ("/slipstream.v1.GatewayService/SubmitOrder") -> rule.
POLICY: dict[str, Rule] = {
    f"/{PACKAGE}.{service}/{method}": rule for service, methods in _SERVICES.items() for method, rule in methods.items()
}


def rule_for(method: str) -> Rule | None:
    """The rule of a full method name, or None for a method nobody may call."""
    return POLICY.get(method)


# Who each role is, and where its tokens are configured (the table at the top of the document).
_ROLE_ROWS = {
    Role.ADMIN: (
        "the operator: configures, halts, writes",
        "`admin_token` / `admin_token_env`, `SLIPSTREAM_ADMIN_TOKEN` or `DATA_DIR/admin.token`",
    ),
    Role.POD: (
        "one trading pod",
        "`[[pods]]` of the federation and gateway (or issued at registration); `[pod_tokens]` of the lake",
    ),
    Role.AUDITOR: (
        "independent risk: reads everything, runs audits; never trades, halts or configures",
        "`[auditor_tokens]` (name = token) of each service",
    ),
    Role.VIEWER: (
        "dashboards and reports: read-only summaries; no orders, fills, positions or venue ledgers",
        "`[viewer_tokens]` (name = token) of each service; `--viewer-token NAME=TOKEN` for the lake and analytics",
    ),
}
_DOC_HEAD = """# Authorization matrix

Generated from `slipstream/transport/policy.py` by `scripts/authz_table.py`: do not edit by hand
(`tests/hardening/test_authorization_matrix.py` fails when this file and the table differ, and when
an RPC of the contract has no rule).

Every call carries `authorization: Bearer <token>`; the token alone decides the role. Every server
checks the table below before its servicer runs: a missing or malformed token is `UNAUTHENTICATED`,
an unknown token or one whose role is not listed is `PERMISSION_DENIED`. "own pod" means a pod may
call it only for its own pod id (another pod's id is `PERMISSION_DENIED`); the admin and auditors
name the pod they mean. Under mutual TLS a certificate that names a pod admits only that pod's token.
"""


def _cell(rule: Rule, role: Role) -> str:
    if role not in rule.roles:
        return "-"
    return "own pod" if role is Role.POD and rule.own_pod_only else "yes"


def render_markdown() -> str:
    """The matrix as docs/authorization.md: one table per service, every RPC x every role."""
    lines = [_DOC_HEAD, "| role | who | tokens |", "|---|---|---|"]
    lines += [f"| {role.value} | {who} | {tokens} |" for role, (who, tokens) in _ROLE_ROWS.items()]
    for service, methods in _SERVICES.items():
        lines += [f"\n## {service}\n", "| RPC | " + " | ".join(role.value for role in ROLES) + " | note |"]
        lines.append("|---" * (len(ROLES) + 2) + "|")
        for method, rule in methods.items():
            cells = " | ".join(_cell(rule, role) for role in ROLES)
            lines.append(f"| `{method}` | {cells} | {rule.note} |")
    return "\n".join(lines) + "\n"
