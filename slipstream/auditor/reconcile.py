"""One audit's comparison of three views of every holding, as a pure function.

Views: what the exchange account holds (the truth, read with read-only credentials), what the
gateway booked from each pod's fills, and what each pod reports. Per account and symbol, the
exchange must equal the gateway's total over the account's pods (else the gateway's books are
wrong), and each pod's report must equal its booked position (else the pod is wrong: under- or
over-reporting, or silent about a symbol). A pod whose report is too old is flagged stale
rather than compared.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal


class Kind(enum.Enum):
    UNDER_REPORTED = "under_reported"
    OVER_REPORTED = "over_reported"
    UNREPORTED_SYMBOL = "unreported_symbol"
    STALE_REPORT = "stale_report"
    GATEWAY_EXCHANGE_MISMATCH = "gateway_exchange_mismatch"


class Action(enum.Enum):
    """What the auditor does about a material, persistent discrepancy of a pod."""

    OBSERVE = "observe"
    HALT = "halt"


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    CRITICAL = 3


@dataclass(frozen=True)
class PodReport:
    pod_id: str
    account: str
    report_time: datetime
    positions: Mapping[str, Decimal]  # what the pod says it holds
    booked: Mapping[str, Decimal]  # what the gateway booked from its fills
    # When the gateway last booked a fill per symbol: a report older than that cannot show it yet.
    last_fill_times: Mapping[str, datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    kind: Kind
    account: str
    pod_id: str
    symbol: str
    expected: Decimal
    observed: Decimal
    difference_usd: Decimal

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.account}:{self.pod_id}:{self.symbol}"


@dataclass(frozen=True)
class AuditPolicy:
    quantity_tolerance: Decimal = Decimal("1e-9")
    usd_tolerance: Decimal = Decimal(1)
    warning_usd: Decimal = Decimal(1_000)
    critical_usd: Decimal = Decimal(10_000)
    stale_after: timedelta = timedelta(seconds=30)
    halt_after_audits: int = 2
    default_action: Action = Action.OBSERVE
    pod_actions: Mapping[str, Action] = field(default_factory=dict)

    def action(self, pod_id: str) -> Action:
        return self.pod_actions.get(pod_id, self.default_action)

    def severity(self, usd: Decimal) -> Severity:
        if usd >= self.critical_usd:
            return Severity.CRITICAL
        return Severity.WARNING if usd >= self.warning_usd else Severity.INFO


def _differs(a: Decimal, b: Decimal, price: Decimal, policy: AuditPolicy) -> bool:
    gap = abs(a - b)
    return gap > policy.quantity_tolerance and gap * price > policy.usd_tolerance


def reconcile(
    exchange: Mapping[str, Mapping[str, Decimal] | None],
    pods: list[PodReport],
    prices: Mapping[str, Decimal],
    now: datetime,
    policy: AuditPolicy,
) -> tuple[list[Finding], list[str]]:
    """All findings of one audit, and the accounts that could not be read (stale: no verdict)."""
    findings: list[Finding] = []
    unread = sorted(account for account, positions in exchange.items() if positions is None)
    for pod in pods:
        if now - pod.report_time > policy.stale_after:
            age = Decimal(str((now - pod.report_time).total_seconds()))
            findings.append(Finding(Kind.STALE_REPORT, pod.account, pod.pod_id, "", Decimal(0), age, Decimal(0)))
            continue
        for symbol in sorted(set(pod.booked) | set(pod.positions)):
            filled_at = pod.last_fill_times.get(symbol)
            if filled_at is not None and filled_at > pod.report_time:
                continue  # inconclusive this audit: the report predates the latest fill
            booked = pod.booked.get(symbol, Decimal(0))
            reported = pod.positions.get(symbol)
            price = prices.get(symbol, Decimal(0))
            if reported is None:
                if booked != 0 and abs(booked) * price > policy.usd_tolerance:
                    findings.append(
                        Finding(
                            Kind.UNREPORTED_SYMBOL,
                            pod.account,
                            pod.pod_id,
                            symbol,
                            booked,
                            Decimal(0),
                            abs(booked) * price,
                        )
                    )
                continue
            if not _differs(booked, reported, price, policy):
                continue
            # Same direction but smaller (or flat) is under-reporting; anything else is over.
            under = abs(reported) < abs(booked) and reported * booked >= 0
            findings.append(
                Finding(
                    Kind.UNDER_REPORTED if under else Kind.OVER_REPORTED,
                    pod.account,
                    pod.pod_id,
                    symbol,
                    booked,
                    reported,
                    abs(booked - reported) * price,
                )
            )
    for account, held in sorted(exchange.items()):
        if held is None:
            continue
        booked_total: dict[str, Decimal] = {}
        for pod in pods:
            if pod.account == account:
                for symbol, quantity in pod.booked.items():
                    booked_total[symbol] = booked_total.get(symbol, Decimal(0)) + quantity
        for symbol in sorted(set(held) | set(booked_total)):
            actual, booked = held.get(symbol, Decimal(0)), booked_total.get(symbol, Decimal(0))
            price = prices.get(symbol, Decimal(0))
            if _differs(actual, booked, price, policy):
                findings.append(
                    Finding(
                        Kind.GATEWAY_EXCHANGE_MISMATCH,
                        account,
                        "",
                        symbol,
                        actual,
                        booked,
                        abs(actual - booked) * price,
                    )
                )
    return findings, unread
