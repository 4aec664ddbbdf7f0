"""The audit cycle with hand-written sources: detection, halting by policy, staleness, restart."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from slipstream.auditor.core import Auditor, AuditorSources
from slipstream.auditor.reconcile import Action, AuditPolicy, Kind, PodReport
from slipstream.auditor.store import AuditStore
from slipstream.core.clock import ManualClock

D = Decimal
NOW = datetime(2026, 3, 1, tzinfo=timezone.utc)


class World:
    """What the sources read: an exchange that can fail, two pods, one of them lying."""

    def __init__(self) -> None:
        self.exchange_down = False
        self.liar_reports = D(1)
        self.halted: list[tuple[str, str]] = []

    def exchange(self) -> dict[str, Decimal]:
        if self.exchange_down:
            raise ConnectionError("exchange unreachable")
        return {"BTC/USDT": D("1.5")}

    def reports(self) -> list[PodReport]:
        return [
            PodReport("liar", "main", NOW, {"BTC/USDT": self.liar_reports}, {"BTC/USDT": D(2)}),
            PodReport("honest", "main", NOW, {"BTC/USDT": D("-0.5")}, {"BTC/USDT": D("-0.5")}),
        ]

    def sources(self) -> AuditorSources:
        return AuditorSources(
            {"main": self.exchange}, self.reports, lambda: {"BTC/USDT": D(60_000)}, lambda: {"BTC/USDT": 1.0}
        )


def auditor(world: World, data_dir: Path, policy: AuditPolicy) -> Auditor:
    return Auditor(
        world.sources(),
        policy,
        lambda pod, note: world.halted.append((pod, note)),
        AuditStore(data_dir),
        ManualClock(NOW),
    )


def test_the_liar_is_caught_sized_and_halted_and_the_honest_pod_is_not(tmp_path: Path) -> None:
    world = World()
    audit = auditor(world, tmp_path, AuditPolicy(default_action=Action.HALT, halt_after_audits=2))
    first = asyncio.run(audit.run_audit())
    (only,) = audit.open_discrepancies()
    assert only.finding.kind is Kind.UNDER_REPORTED and only.finding.pod_id == "liar"
    assert only.finding.difference_usd == D(60_000) and not first.stale
    assert world.halted == []
    second = asyncio.run(audit.run_audit())
    assert second.halted == ("liar",) and world.halted == [("liar", "under_reported BTC/USDT")]
    assert audit.exposure is not None and audit.exposure.btc_beta_adjusted_usd() == D(90_000)


def test_a_failed_exchange_read_is_stale_not_all_clear(tmp_path: Path) -> None:
    world = World()
    audit = auditor(world, tmp_path, AuditPolicy())
    asyncio.run(audit.run_audit())
    world.exchange_down = True
    world.liar_reports = D(2)  # even a now-truthful report cannot clear what depends on the exchange
    report = asyncio.run(audit.run_audit())
    assert report.stale and "main" in report.stale_reason
    assert audit.exposure is not None and audit.exposure.fresh == {"main": False}


def test_a_restarted_auditor_resumes_its_counts(tmp_path: Path) -> None:
    world = World()
    policy = AuditPolicy(default_action=Action.HALT, halt_after_audits=2)
    asyncio.run(auditor(world, tmp_path, policy).run_audit())
    restarted = auditor(world, tmp_path, policy)
    assert [d.consecutive for d in restarted.open_discrepancies()] == [1]
    report = asyncio.run(restarted.run_audit())
    assert report.halted == ("liar",)
    assert [change for change, _ in restarted.store.history(10)][-1] == "opened"


def test_observe_only_records_but_never_halts(tmp_path: Path) -> None:
    world = World()
    audit = auditor(world, tmp_path, AuditPolicy(default_action=Action.OBSERVE, halt_after_audits=1))
    for _ in range(3):
        asyncio.run(audit.run_audit())
    assert world.halted == [] and len(audit.open_discrepancies()) == 1


def test_alerts_stream_every_change_and_a_stale_audit(tmp_path: Path) -> None:
    world = World()
    audit = auditor(world, tmp_path, AuditPolicy(default_action=Action.HALT, halt_after_audits=2))

    async def scenario() -> list[str]:
        received: list[str] = []

        async def listen() -> None:
            async for kind, discrepancy, report in audit.alerts():
                received.append(f"{kind}:{discrepancy.finding.pod_id if discrepancy else '-'}:{report.stale}")

        listener = asyncio.create_task(listen())
        await asyncio.sleep(0)
        await audit.run_audit()  # opened
        await audit.run_audit()  # escalated: halt requested
        world.exchange_down = True
        await audit.run_audit()  # stale
        world.exchange_down, world.liar_reports = False, D(2)
        await audit.run_audit()  # resolved
        await asyncio.sleep(0)
        listener.cancel()
        return received

    assert asyncio.run(scenario()) == [
        "opened:liar:False",
        "escalated:liar:False",
        "audit_stale:-:True",
        "resolved:liar:False",
    ]
