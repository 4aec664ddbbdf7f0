from datetime import datetime, timedelta, timezone
from decimal import Decimal

from slipstream.auditor.reconcile import Action, AuditPolicy, Kind, PodReport, reconcile
from slipstream.auditor.tracker import Change, DiscrepancyTracker

D = Decimal
NOW = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)
PRICES = {"BTC/USDT": D(60_000), "ETH/USDT": D(3_000)}
HALT = AuditPolicy(default_action=Action.HALT)


def pods(liar_reports: dict[str, Decimal], report_time: datetime = NOW) -> list[PodReport]:
    return [
        PodReport("liar", "main", report_time, liar_reports, {"BTC/USDT": D(2)}),
        PodReport("honest", "main", NOW, {"BTC/USDT": D("-0.5")}, {"BTC/USDT": D("-0.5")}),
    ]


def test_half_reported_position_is_under_reported_with_its_usd_size_and_the_honest_pod_is_clean() -> None:
    findings, unread = reconcile({"main": {"BTC/USDT": D("1.5")}}, pods({"BTC/USDT": D(1)}), PRICES, NOW, HALT)
    (finding,) = findings
    assert unread == []
    assert finding.kind is Kind.UNDER_REPORTED and finding.pod_id == "liar"
    assert (finding.expected, finding.observed) == (D(2), D(1))
    assert finding.difference_usd == D(60_000)


def test_over_reported_unreported_and_stale() -> None:
    over, _ = reconcile({"main": {"BTC/USDT": D("1.5")}}, pods({"BTC/USDT": D(3)}), PRICES, NOW, HALT)
    assert [f.kind for f in over] == [Kind.OVER_REPORTED]
    silent, _ = reconcile({"main": {"BTC/USDT": D("1.5")}}, pods({}), PRICES, NOW, HALT)
    assert [f.kind for f in silent] == [Kind.UNREPORTED_SYMBOL]
    stale, _ = reconcile(
        {"main": {"BTC/USDT": D("1.5")}}, pods({"BTC/USDT": D(2)}, NOW - timedelta(minutes=5)), PRICES, NOW, HALT
    )
    assert [(f.kind, f.pod_id) for f in stale] == [(Kind.STALE_REPORT, "liar")]


def test_gateway_books_that_differ_from_the_exchange_are_a_mismatch() -> None:
    findings, _ = reconcile({"main": {"BTC/USDT": D(1), "ETH/USDT": D(4)}}, pods({"BTC/USDT": D(2)}), PRICES, NOW, HALT)
    assert [(f.kind, f.symbol, f.difference_usd) for f in findings] == [
        (Kind.GATEWAY_EXCHANGE_MISMATCH, "BTC/USDT", D(30_000)),
        (Kind.GATEWAY_EXCHANGE_MISMATCH, "ETH/USDT", D(12_000)),
    ]


def test_an_unreadable_exchange_is_stale_not_all_clear() -> None:
    findings, unread = reconcile({"main": None}, pods({"BTC/USDT": D(2)}), PRICES, NOW, HALT)
    assert findings == [] and unread == ["main"]


def test_halt_after_n_audits_once_then_resolution() -> None:
    tracker = DiscrepancyTracker(HALT)
    exchange = {"main": {"BTC/USDT": D("1.5")}}
    first, halts = tracker.update(*reconcile(exchange, pods({"BTC/USDT": D(1)}), PRICES, NOW, HALT), NOW)
    assert [c for c, _ in first] == [Change.OPENED] and halts == []
    second, halts = tracker.update(*reconcile(exchange, pods({"BTC/USDT": D(1)}), PRICES, NOW, HALT), NOW)
    assert halts == ["liar"] and any(d.halt_requested for _, d in second)
    third, halts = tracker.update(*reconcile(exchange, pods({"BTC/USDT": D(1)}), PRICES, NOW, HALT), NOW)
    assert halts == [] and third == []  # asked once, not again every audit
    # An unreadable exchange resolves nothing; a truthful report does.
    stale_changes, _ = tracker.update([], ["main"], NOW)
    assert stale_changes == [] and len(tracker.open) == 1
    fixed, _ = tracker.update(*reconcile(exchange, pods({"BTC/USDT": D(2)}), PRICES, NOW, HALT), NOW)
    assert [c for c, _ in fixed] == [Change.RESOLVED] and tracker.open == {}


def test_observe_only_never_halts_and_small_differences_are_info() -> None:
    policy = AuditPolicy(pod_actions={"liar": Action.OBSERVE}, default_action=Action.HALT)
    tracker = DiscrepancyTracker(policy)
    exchange = {"main": {"BTC/USDT": D("1.5")}}
    for _ in range(5):
        _, halts = tracker.update(*reconcile(exchange, pods({"BTC/USDT": D(1)}), PRICES, NOW, policy), NOW)
        assert halts == []
    small, _ = reconcile({"main": {"BTC/USDT": D("1.5")}}, pods({"BTC/USDT": D("1.99")}), PRICES, NOW, policy)
    assert policy.severity(small[0].difference_usd).name == "INFO"  # 600 USD, below the 1,000 USD warning


def test_a_report_older_than_the_latest_fill_is_inconclusive_not_a_discrepancy() -> None:
    just_filled = [
        PodReport("busy", "main", NOW, {"BTC/USDT": D(1)}, {"BTC/USDT": D(2)}, {"BTC/USDT": NOW + timedelta(seconds=1)})
    ]
    findings, _ = reconcile({"main": {"BTC/USDT": D(2)}}, just_filled, PRICES, NOW, HALT)
    assert findings == []
    settled = [PodReport("busy", "main", NOW, {"BTC/USDT": D(1)}, {"BTC/USDT": D(2)}, {"BTC/USDT": NOW})]
    findings, _ = reconcile({"main": {"BTC/USDT": D(2)}}, settled, PRICES, NOW, HALT)
    assert [f.kind for f in findings] == [Kind.UNDER_REPORTED]
