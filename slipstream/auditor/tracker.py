"""Discrepancies across audits: opened, carried, escalated, resolved, and the halt policy.

A finding seen again keeps its identity (kind, account, pod, symbol) and counts consecutive
audits. A stale audit (an exchange unreadable) neither resolves nor escalates what depends on
that account: absence of evidence is not an all-clear.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime

from slipstream.auditor.reconcile import Action, AuditPolicy, Finding, Kind, Severity


class Change(enum.Enum):
    OPENED = "opened"
    ESCALATED = "escalated"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Discrepancy:
    finding: Finding
    severity: Severity
    consecutive: int
    first_seen: datetime
    last_seen: datetime
    resolved: bool = False
    halt_requested: bool = False


class DiscrepancyTracker:
    def __init__(self, policy: AuditPolicy) -> None:
        self.policy = policy
        self.open: dict[str, Discrepancy] = {}

    def update(
        self, findings: list[Finding], unread_accounts: list[str], now: datetime
    ) -> tuple[list[tuple[Change, Discrepancy]], list[str]]:
        """Fold one audit in; return the changes and the pods to halt now."""
        changes: list[tuple[Change, Discrepancy]] = []
        halts: list[str] = []
        seen = set()
        for finding in findings:
            seen.add(finding.key)
            severity = self.policy.severity(finding.difference_usd)
            if finding.kind is Kind.STALE_REPORT:
                severity = Severity.WARNING
            previous = self.open.get(finding.key)
            if previous is None:
                current = Discrepancy(finding, severity, 1, now, now)
                changes.append((Change.OPENED, current))
            else:
                current = replace(
                    previous, finding=finding, severity=severity, consecutive=previous.consecutive + 1, last_seen=now
                )
                if severity > previous.severity:
                    changes.append((Change.ESCALATED, current))
            if self._must_halt(current):
                current = replace(current, halt_requested=True)
                halts.append(finding.pod_id)
                changes.append((Change.ESCALATED, current))
            self.open[finding.key] = current
        for key, discrepancy in list(self.open.items()):
            if key in seen or discrepancy.finding.account in unread_accounts:
                continue
            del self.open[key]
            changes.append((Change.RESOLVED, replace(discrepancy, resolved=True, last_seen=now)))
        return changes, sorted(set(halts))

    def _must_halt(self, discrepancy: Discrepancy) -> bool:
        finding = discrepancy.finding
        policy = self.policy
        return (
            not discrepancy.halt_requested
            and finding.pod_id != ""
            and finding.kind in (Kind.UNDER_REPORTED, Kind.OVER_REPORTED, Kind.UNREPORTED_SYMBOL)
            and discrepancy.severity is Severity.CRITICAL
            and discrepancy.consecutive >= policy.halt_after_audits
            and policy.action(finding.pod_id) is Action.HALT
        )
