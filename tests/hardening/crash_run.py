"""A trading run with kill -9 faults: federation, gateway and auditor as real processes, killed at
seeded random moments while two pods trade through the gateway, restarted on the same data
directory and port, then checked for lost or doubled orders and fills, nonces that went
backwards, feed gaps and lost state.

The gateway trades on a ccxt `binanceusdm` account against the in-process exchange simulator,
so every order, fill and nonce can be checked against what the exchange itself saw. Pods are
in-process and register with the federation; two load clients (one per trading pod) submit
market orders with their own client order ids, retry an unanswered one with the same id, and
record every acknowledged order; a follower per pod reads the execution feed and resumes from
its last sequence whenever the gateway goes away. The analytics service runs throughout (never
killed) and holds a lifecycle override; the federation holds the allocations (limits pushed as
the optimizer does) and a halt. Used by tests/hardening/test_crash_faults.py and
bench/bench_faults.py.
"""

from __future__ import annotations

import collections
import contextlib
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import grpc
from slipstream_api.v1 import (
    analytics_pb2,
    analytics_pb2_grpc,
    auditor_pb2,
    auditor_pb2_grpc,
    common_pb2,
    gateway_pb2,
    gateway_pb2_grpc,
)

from slipstream.core.model import HaltReason, PodLimits
from slipstream.demo.processes import ServiceProcess, python_module
from slipstream.federation.client import FederationClient
from slipstream.pod import PodContext, Strategy
from slipstream.pod.market import RandomWalkMarket
from slipstream.pod.runner import ServingPod, register, start_pod
from slipstream.pod.runtime import PodRuntime
from slipstream.simulator import ExchangeSimulator, PerpetualMarket, ccxt_client
from slipstream.transport import auth, convert

SERVICES = ("federation", "gateway", "auditor")
ADMIN = "admin-crash-faults"
TOKENS = {"alpha": "alpha-crash", "beta": "beta-crash", "gamma": "gamma-crash"}
TRADERS = ("alpha", "beta")
# Holds one position, reports none, then is halted: the auditor's standing discrepancy, and a
# halt that must outlive every restart.
HALTED = "gamma"
SYMBOL = "BTC/USDT:USDT"
TRADING_KEY, TRADING_SECRET = "crash-trading-key", "crash-trading-secret"
# The checks read the exchange with a read-only key of their own: on the trading key their
# requests' timestamps would compete with the gateway's nonces.
CHECK_KEY, CHECK_SECRET = "crash-check-key", "crash-check-secret"
AUDIT_KEY, AUDIT_SECRET = "crash-audit-key", "crash-audit-secret"
QUANTITY = "0.003"
PACE_S = 0.02
START_LIMITS = PodLimits(capital_allocation_usd=Decimal(1_000_000), max_gross_notional_usd=Decimal(100_000_000))
# A request of the killed process still in the simulator's socket buffer is read within
# milliseconds of the kill; a restarted process needs far longer than this to send its first.
INCARNATION_MARGIN_S = 0.2


class Idle(Strategy):
    """A pod that only reports: the load clients trade on its behalf at the gateway."""

    symbols = ("BTC/USDT",)
    tick_interval_seconds = 0.2

    def on_tick(self, ctx: PodContext) -> None:
        ctx.price("BTC/USDT")


@dataclass
class Outcome:
    """What one seeded run saw; every count but `acked`, `fills` and `kills` must be zero."""

    seed: int
    kills: collections.Counter[str] = field(default_factory=collections.Counter)
    acked: int = 0
    fills: int = 0
    lost: int = 0
    duplicated: int = 0
    nonce_violations: int = 0
    feed_gaps: int = 0
    state_lost: int = 0
    open_at_gateway_kills: int = 0  # orders the killed gateway left pending or working: the hard case
    problems: list[str] = field(default_factory=list)

    def problem(self, counter: str, message: str) -> None:
        setattr(self, counter, getattr(self, counter) + 1)
        if len(self.problems) < 50:
            self.problems.append(message)


def gateway_config(simulator_url: str, api_key: str, secret: str, federation: str | None) -> str:
    """The gateway on a ccxt `binanceusdm` account at the simulator; every pod trades on it.
    Without a federation the pods get static, generous limits."""
    pods = "".join(
        f'[[pods]]\npod_id = "{p}"\ntoken = "{t}"\naccount = "sim"\n'
        + ("" if federation else '[pods.limits]\ncapital_allocation_usd = "1000000"\nmax_gross_notional_usd = "1e8"\n')
        for p, t in TOKENS.items()
    )
    return (
        f'admin_token = "{ADMIN}"\n'
        + (f'federation = "{federation}"\n' if federation else "")
        + "[risk]\nmax_orders_per_second = 10000\nblock_unreachable_after_seconds = 3600\n"
        '[[accounts]]\nname = "sim"\nvenue = "ccxt"\nexchange = "binanceusdm"\n'
        f'api_key = "{api_key}"\nsecret = "{secret}"\nsymbols = ["{SYMBOL}"]\napi_url = "{simulator_url}"\n'
        "timeout_ms = 2000\npoll_interval_seconds = 0.1\nmax_backoff_seconds = 0.5\nrate_limit_ms = 0.1\nburst = 1000\n"
        + _SIMULATOR_OPTIONS
        + pods
    )


_SIMULATOR_OPTIONS = (
    '[accounts.options]\nfetchCurrencies = false\n[accounts.options.fetchMarkets]\ntypes = ["linear"]\n'
)


def _write_configs(root: Path, simulator_url: str, ports: dict[str, int]) -> None:
    pods = "".join(f'[[pods]]\npod_id = "{p}"\ntoken = "{t}"\n' for p, t in TOKENS.items())
    (root / "federation.toml").write_text(
        f'admin_token = "{ADMIN}"\npoll_interval_seconds = 0.2\npoll_timeout_seconds = 1.0\n'
        "unreachable_after_missed_polls = 50\n"
        '[default_limits]\ncapital_allocation_usd = "1000000"\nmax_gross_notional_usd = "100000000"\n' + pods
    )
    federation = f"127.0.0.1:{ports.get('federation', 0)}"
    (root / "gateway.toml").write_text(gateway_config(simulator_url, TRADING_KEY, TRADING_SECRET, federation))
    (root / "auditor.toml").write_text(
        f'admin_token = "{ADMIN}"\nfederation = "{federation}"\n'
        f'gateway = "127.0.0.1:{ports.get("gateway", 0)}"\ninterval_seconds = 0.3\n'
        '[policy]\ndefault_action = "observe"\nstale_after_seconds = 3600\n'
        '[[accounts]]\nname = "sim"\nexchange = "binanceusdm"\n'
        f'api_key = "{AUDIT_KEY}"\nsecret = "{AUDIT_SECRET}"\nsymbols = ["{SYMBOL}"]\napi_url = "{simulator_url}"\n'
        + _SIMULATOR_OPTIONS
        + '[pods]\nalpha = "sim"\nbeta = "sim"\ngamma = "sim"\n'
    )
    (root / "analytics.toml").write_text(
        f'admin_token = "{ADMIN}"\nfederation = "{federation}"\ngateway = "127.0.0.1:{ports.get("gateway", 0)}"\n'
    )


def start_service(root: Path, service: str, port: int) -> ServiceProcess:
    """Start `service` as `slipstream serve SERVICE`, on `root`/SERVICE.toml and `root`/SERVICE (its data)."""
    argv = python_module(
        "slipstream.cli.main",
        "--data-dir",
        str(root / service),
        "serve",
        service,
        "--config",
        str(root / f"{service}.toml"),
        "--listen",
        f"127.0.0.1:{port}",
    )
    return ServiceProcess(service, argv)


class CrashRun:
    """One system, started on entry; each `run(seed)` trades, kills and restarts by that seed's
    schedule, checking the killed service's state after each restart, then settles and checks
    every order, fill, nonce and feed event since the start."""

    def __init__(
        self, root: Path, loop: Any, kills_per_seed: int = 3, orders_between_kills: tuple[int, int] = (10, 40)
    ) -> None:
        self.root = root
        self.loop = loop
        self.kills_per_seed = kills_per_seed
        self.orders_between_kills = orders_between_kills
        self.processes: dict[str, ServiceProcess] = {}
        self.ports: dict[str, int] = {}
        self.acked: dict[str, dict[str, gateway_pb2.Order]] = {pod: {} for pod in TOKENS}
        self.followed: dict[str, list[tuple[int, bytes]]] = {pod: [] for pod in TRADERS}
        self.incarnations: list[float] = []  # monotonic times the gateway was (re)started
        self.expected_configs: dict[str, tuple[int, PodLimits]] = {}
        self.kills: collections.Counter[str] = collections.Counter()
        self.stop_trading = threading.Event()
        self.stop_following = threading.Event()
        self.simulator = ExchangeSimulator((PerpetualMarket("BTC"),))
        self.pods: list[ServingPod] = []
        self._followers: list[threading.Thread] = []
        self._feeds: dict[str, Any] = {}
        self._segments = 0
        self.lifecycles: dict[str, tuple[Any, ...]] = {}
        self._exchange: Any = None

    # processes

    def _spawn(self, service: str) -> None:
        if service == "gateway":
            self.incarnations.append(time.monotonic())
        process = start_service(self.root, service, self.ports.get(service, 0))
        self.processes[service] = process
        self.ports[service] = int(process.wait_address(60).rpartition(":")[2])

    def address(self, service: str) -> str:
        return f"127.0.0.1:{self.ports[service]}"

    def kill(self, service: str) -> int:
        """kill -9, then start again on the same port and data directory; return how many orders
        a killed gateway left open in its store."""
        self.processes[service].kill()
        self.kills[service] += 1
        left_open = 0
        if service == "gateway":
            with contextlib.closing(sqlite3.connect(self.root / "gateway" / "gateway.sqlite")) as db:
                (left_open,) = db.execute("SELECT count(*) FROM orders WHERE is_open = 1").fetchone()
        self._spawn(service)
        return int(left_open)

    # lifecycle

    def __enter__(self) -> CrashRun:
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        self.simulator.start()
        self.simulator.add_account(TRADING_KEY, TRADING_SECRET, {"USDT": Decimal(10_000_000)})
        self.simulator.add_key(AUDIT_KEY, AUDIT_SECRET, account_of=TRADING_KEY)
        self.simulator.add_key(CHECK_KEY, CHECK_SECRET, account_of=TRADING_KEY)
        self.simulator.set_price("BTCUSDT", Decimal(50_000))
        # Each service's configuration names the ports of those started before it.
        _write_configs(self.root, self.simulator.base_url, self.ports)
        self._spawn("federation")
        for pod_id, token in TOKENS.items():
            runtime = PodRuntime(pod_id, Idle(), RandomWalkMarket({"BTC/USDT": 50_000.0}, seed=1))
            pod = self.loop.run(start_pod(runtime, token))
            self.pods.append(pod)
            self.loop.run(register(runtime, token, self.address("federation"), pod.server.address, 10.0))
        with self.admin() as admin:
            for pod_id in TRADERS:
                self._push_allocation(admin, pod_id, START_LIMITS)
        _write_configs(self.root, self.simulator.base_url, self.ports)
        self._spawn("gateway")
        self._hold_one_position(HALTED)
        with self.admin() as admin:
            admin.halt(HALTED, HaltReason.RISK_VIOLATION, "crash-test", note="halted before the faults")
        _write_configs(self.root, self.simulator.base_url, self.ports)
        self._spawn("auditor")
        self._wait_standing_discrepancy()
        self._spawn("analytics")
        with self._analytics() as analytics:
            analytics.EvaluateLifecycles(analytics_pb2.EvaluateLifecyclesRequest(requested_by="crash-test"), timeout=30)
            analytics.OverrideLifecycleStage(
                analytics_pb2.OverrideLifecycleStageRequest(
                    pod_id=TRADERS[0],
                    stage=common_pb2.LIFECYCLE_STAGE_GROWTH,
                    requested_by="crash-test",
                    reason="held through the faults",
                ),
                timeout=10,
            )
            self.lifecycles = self._lifecycle_state(analytics)
        for pod_id in TRADERS:
            thread = threading.Thread(target=self._follow, args=(pod_id,), name=f"follow-{pod_id}", daemon=True)
            thread.start()
            self._followers.append(thread)

    def _hold_one_position(self, pod_id: str) -> None:
        """Buy once for the pod (once the gateway has its limits from the federation)."""
        with grpc.insecure_channel(self.address("gateway")) as channel:
            stub = gateway_pb2_grpc.GatewayServiceStub(channel)
            deadline = time.monotonic() + 20
            while True:
                request = _market_order(f"{pod_id}-holding-{time.monotonic_ns()}", True)
                answer = stub.SubmitOrder(request, metadata=auth.bearer_metadata(TOKENS[pod_id]), timeout=10)
                self.acked[pod_id][request.client_order_id] = answer.order
                if answer.order.status == gateway_pb2.ORDER_STATUS_FILLED:
                    return
                if time.monotonic() > deadline:
                    raise AssertionError(f"{pod_id} could not trade: {answer.order.reject_message}")
                self.stop_trading.wait(0.05)

    def _wait_standing_discrepancy(self) -> None:
        """Wait for the auditor to flag the halted pod's unreported position, which stays open."""
        deadline = time.monotonic() + 30
        while not any(
            d.pod_id == HALTED and d.kind == auditor_pb2.DISCREPANCY_KIND_UNREPORTED_SYMBOL
            for d in self._discrepancies().values()
        ):
            if time.monotonic() > deadline:
                raise AssertionError("the auditor never flagged the halted pod's unreported position")
            self.stop_trading.wait(0.05)

    def close(self) -> None:
        self.stop_trading.set()
        self.stop_following.set()
        for feed in list(self._feeds.values()):
            feed.cancel()
        for process in self.processes.values():
            process.stop()
        for thread in self._followers:
            thread.join(10)
        for pod in self.pods:
            self.loop.run(pod.stop())
        self.simulator.stop()

    def admin(self) -> FederationClient:
        return FederationClient(self.address("federation"), ADMIN, timeout_s=5.0)

    def _push_allocation(self, admin: FederationClient, pod_id: str, limits: PodLimits) -> None:
        """Apply an allocation as the optimizer does (new limits, a new configuration version)."""
        answer = admin.push_config(pod_id, limits, {}, "optimizer")
        self.expected_configs[pod_id] = (answer.config.config_version, limits)

    # load

    def _trade(self, pod_id: str, segment: int) -> None:
        metadata = auth.bearer_metadata(TOKENS[pod_id])
        n = 0
        with grpc.insecure_channel(self.address("gateway")) as channel:
            stub = gateway_pb2_grpc.GatewayServiceStub(channel)
            request = _market_order(f"{pod_id}-{segment}-{n}", True)
            while not self.stop_trading.is_set():
                try:
                    answer = stub.SubmitOrder(request, metadata=metadata, timeout=5)
                except grpc.RpcError:
                    # The gateway is down or did not answer: the order may or may not be recorded,
                    # so send the same order again until it is answered.
                    self.stop_trading.wait(0.05)
                    continue
                self.acked[pod_id][answer.order.client_order_id] = answer.order
                n += 1
                request = _market_order(f"{pod_id}-{segment}-{n}", n % 3 != 2)  # two buys, a sell: long, never flat
                self.stop_trading.wait(PACE_S)  # a steady flow, so kills fall among orders

    def _follow(self, pod_id: str) -> None:
        """Read the pod's feed; when the gateway goes away, resume after the last sequence seen."""
        metadata = auth.bearer_metadata(TOKENS[pod_id])
        with grpc.insecure_channel(self.address("gateway")) as channel:
            stub = gateway_pb2_grpc.GatewayServiceStub(channel)
            while not self.stop_following.is_set():
                after = self.followed[pod_id][-1][0] if self.followed[pod_id] else 0
                feed = stub.StreamExecutions(
                    gateway_pb2.StreamExecutionsRequest(after_sequence=after), metadata=metadata
                )
                self._feeds[pod_id] = feed
                try:
                    for event in feed:
                        self.followed[pod_id].append((event.sequence, event.SerializeToString(deterministic=True)))
                except grpc.RpcError:
                    self.stop_following.wait(0.05)

    def acked_count(self) -> int:
        return sum(len(orders) for orders in self.acked.values())

    def _wait_acks(self, count: int, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while self.acked_count() < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"only {self.acked_count()} of {count} orders acknowledged within {timeout_s}s")
            self.stop_trading.wait(0.01)

    def run(self, seed: int) -> Outcome:
        """Trade through this seed's schedule of kills, then settle and check everything so far."""
        rng = random.Random(seed)
        # Every service dies once per seed, in a seeded order, then seeded picks for the rest.
        schedule = rng.sample(SERVICES, len(SERVICES)) + [
            rng.choice(SERVICES) for _ in range(max(0, self.kills_per_seed - len(SERVICES)))
        ]
        outcome = Outcome(seed)
        self._segments += 1
        self.stop_trading.clear()
        traders = [
            threading.Thread(target=self._trade, args=(pod_id, self._segments), name=f"trade-{pod_id}", daemon=True)
            for pod_id in TRADERS
        ]
        for thread in traders:
            thread.start()
        kills_before = collections.Counter(self.kills)
        low, high = self.orders_between_kills
        try:
            for service in schedule:
                self._wait_acks(self.acked_count() + rng.randint(low, high))
                before = self._snapshot(service)
                outcome.open_at_gateway_kills += self.kill(service)
                self._check_restarted(outcome, service, before, rng)
            self._wait_acks(self.acked_count() + low)
        finally:
            self.stop_trading.set()
            for thread in traders:
                thread.join(30)
        outcome.kills = self.kills - kills_before
        self._settle(outcome)
        self._check(outcome)
        return outcome

    # state around a kill

    def _snapshot(self, service: str) -> Any:
        if service == "federation":
            with self.admin() as admin:
                return {p.pod_id: p for p in admin.list_pods()}
        if service == "auditor":
            return self._discrepancies()
        return None

    def _discrepancies(self) -> dict[str, auditor_pb2.Discrepancy]:
        with grpc.insecure_channel(self.address("auditor")) as channel:
            answer = auditor_pb2_grpc.AuditorServiceStub(channel).ListDiscrepancies(
                auditor_pb2.ListDiscrepanciesRequest(include_resolved=False, max_count=1000),
                metadata=auth.bearer_metadata(ADMIN),
                timeout=5,
            )
        return {d.discrepancy_id: d for d in answer.discrepancies}

    def _check_restarted(self, outcome: Outcome, service: str, before: Any, rng: random.Random) -> None:
        if service == "federation":
            self._check_federation(outcome, before)
            with self.admin() as admin:  # the optimizer applies an allocation to the restarted federation
                allocation = Decimal(rng.randrange(500_000, 2_000_000, 1000))
                limits = PodLimits(capital_allocation_usd=allocation, max_gross_notional_usd=Decimal(100_000_000))
                self._push_allocation(admin, rng.choice(TRADERS), limits)
        elif service == "auditor":
            self._check_auditor(outcome, before)

    def _check_federation(self, outcome: Outcome, before: dict[str, Any]) -> None:
        with self.admin() as admin:
            after = {p.pod_id: p for p in admin.list_pods()}
        if after.keys() != before.keys():
            outcome.problem("state_lost", f"federation pods {sorted(before)} became {sorted(after)}")
        for pod_id, pod in before.items():
            now = after.get(pod_id)
            for name in ("register_time", "desired_config", "desired_trading_state", "address"):
                if now is not None and getattr(now, name) != getattr(pod, name):
                    outcome.problem("state_lost", f"federation pod {pod_id}: {name} changed over the kill")
        self._check_configs(outcome, after)

    def _check_configs(self, outcome: Outcome, pods: dict[str, Any]) -> None:
        for pod_id, (version, limits) in self.expected_configs.items():
            config = convert.stored_config_from_pb(pods[pod_id].desired_config)
            if config.config_version != version or config.limits != limits:
                outcome.problem(
                    "state_lost", f"{pod_id}: configuration v{config.config_version} is not the acknowledged v{version}"
                )
        if pods[HALTED].desired_trading_state != common_pb2.TRADING_STATE_HALTED:
            outcome.problem("state_lost", f"{HALTED}: the halt did not survive")

    def _check_auditor(self, outcome: Outcome, before: dict[str, auditor_pb2.Discrepancy]) -> None:
        """Open discrepancies keep their history (first seen, audit count) and go on being counted."""
        after = self._discrepancies()
        for key, old in before.items():
            new = after.get(key)
            if new is None:
                continue  # resolved by an audit since: a legitimate change
            if new.first_seen_time != old.first_seen_time or new.consecutive_audit_count < old.consecutive_audit_count:
                outcome.problem("state_lost", f"auditor: discrepancy {key} restarted its count after the kill")
        if not before:
            outcome.problem("state_lost", "auditor: nothing open before the kill, so nothing shows it resumed")
            return
        deadline = time.monotonic() + 20
        while not any(
            (d := self._discrepancies().get(key)) is not None
            and d.consecutive_audit_count > old.consecutive_audit_count
            for key, old in before.items()
        ):
            if time.monotonic() > deadline:
                outcome.problem("state_lost", "auditor: no audit counted after the restart")
                return
            self.stop_following.wait(0.05)

    # the checks

    def _settle(self, outcome: Outcome) -> None:
        """Wait until no order is pending at the gateway (orders caught by a kill are settled by
        the venue's poller, by client order id)."""
        with grpc.insecure_channel(self.address("gateway")) as channel:
            stub = gateway_pb2_grpc.GatewayServiceStub(channel)
            deadline = time.monotonic() + 30
            while True:
                pending = [
                    o.client_order_id
                    for pod_id in TOKENS
                    for o in stub.ListOrders(
                        gateway_pb2.ListOrdersRequest(open_only=True, max_count=10_000),
                        metadata=auth.bearer_metadata(TOKENS[pod_id]),
                        timeout=5,
                    ).orders
                ]
                if not pending:
                    return
                if time.monotonic() > deadline:
                    for client_order_id in pending:
                        outcome.problem("lost", f"order {client_order_id} never settled after the restarts")
                    return
                self.stop_following.wait(0.05)

    def _exchange_view(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Decimal]:
        """Every order and trade of the account at the exchange, and its net position."""
        if self._exchange is None:
            self._exchange = ccxt_client(self.simulator, apiKey=CHECK_KEY, secret=CHECK_SECRET)
            self._exchange.load_markets()
        exchange = self._exchange
        orders: list[dict[str, Any]] = []
        while page := exchange.fetch_orders(
            SYMBOL, None, 1000, {"orderId": int(orders[-1]["id"]) + 1 if orders else 1}
        ):
            orders += page
        trades: list[dict[str, Any]] = []
        while page := exchange.fetch_my_trades(
            SYMBOL, None, 1000, {"fromId": int(trades[-1]["id"]) + 1 if trades else 1}
        ):
            trades += page
        held = Decimal(0)
        for position in exchange.fetch_positions([SYMBOL]):
            held += Decimal(str(position["contracts"] or 0)) * (1 if position["side"] == "long" else -1)
        return orders, trades, held

    def _check(self, outcome: Outcome) -> None:
        with grpc.insecure_channel(self.address("gateway")) as channel:
            stub = gateway_pb2_grpc.GatewayServiceStub(channel)
            markers = {pod_id: self._marker(stub, pod_id) for pod_id in TRADERS}
        orders_at_exchange, trades, exchange_position = self._exchange_view()
        by_client_id = collections.Counter(o["clientOrderId"] for o in orders_at_exchange)
        trade_ids = {str(t["id"]) for t in trades}
        booked_trades: collections.Counter[str] = collections.Counter()
        gateway_position = Decimal(0)
        gateway_orders: set[str] = set()
        with grpc.insecure_channel(self.address("gateway")) as channel:
            stub = gateway_pb2_grpc.GatewayServiceStub(channel)
            for pod_id in TOKENS:
                metadata = auth.bearer_metadata(TOKENS[pod_id])
                listed = stub.ListOrders(gateway_pb2.ListOrdersRequest(max_count=10_000), metadata=metadata).orders
                stored = {o.client_order_id: o for o in listed}
                outcome.acked += len(self.acked[pod_id])
                for client_order_id, acked in self.acked[pod_id].items():
                    order = stored.get(client_order_id)
                    if order is None or order.order_id != acked.order_id:
                        outcome.problem("lost", f"{pod_id}: acknowledged order {client_order_id} is not at the gateway")
                for order in stored.values():
                    gateway_orders.add(order.order_id)
                    self._check_placed(outcome, order, by_client_id[order.order_id])
                fills = stub.ListFills(gateway_pb2.ListFillsRequest(max_count=100_000), metadata=metadata).fills
                outcome.fills += len(fills)
                net = Decimal(0)
                for fill in fills:
                    booked_trades[fill.exchange_trade_id] += 1
                    net += Decimal(fill.quantity) * (1 if fill.side == common_pb2.ORDER_SIDE_BUY else -1)
                positions = stub.ListPositions(gateway_pb2.ListPositionsRequest(), metadata=metadata).positions
                held = sum((Decimal(p.quantity) for p in positions if p.symbol == SYMBOL), Decimal(0))
                if held != net:
                    outcome.problem("lost", f"{pod_id}: gateway position {held} is not the sum of its fills {net}")
                gateway_position += held
                if pod_id in markers:
                    self._check_feed(outcome, stub, pod_id, markers[pod_id], len(fills))
            self._check_halt_enforced(outcome, stub)
        for order in orders_at_exchange:
            if order["clientOrderId"] not in gateway_orders:
                outcome.problem("lost", f"exchange order {order['clientOrderId']} is unknown to the gateway")
        for trade_id, count in booked_trades.items():
            if count > 1:
                outcome.problem("duplicated", f"exchange trade {trade_id} booked {count} times")
            if trade_id not in trade_ids:
                outcome.problem("duplicated", f"a fill of exchange trade {trade_id}, which the exchange never made")
        for trade_id in sorted(trade_ids - booked_trades.keys()):
            outcome.problem("lost", f"exchange trade {trade_id} never booked at the gateway")
        if gateway_position != exchange_position:
            outcome.problem("lost", f"gateway positions {gateway_position} != exchange position {exchange_position}")
        self._check_nonces(outcome)
        with self.admin() as admin:
            self._check_configs(outcome, {p.pod_id: p for p in admin.list_pods()})
        self._check_lifecycles(outcome)

    @staticmethod
    def _check_placed(outcome: Outcome, order: gateway_pb2.Order, at_exchange: int) -> None:
        placed = order.status != gateway_pb2.ORDER_STATUS_REJECTED
        if at_exchange > 1:
            outcome.problem("duplicated", f"{order.order_id}: placed {at_exchange} times at the exchange")
        elif placed and at_exchange == 0:
            outcome.problem("lost", f"{order.order_id}: {order.status} at the gateway, unknown at the exchange")
        elif not placed and at_exchange:
            outcome.problem("lost", f"{order.order_id}: rejected at the gateway, yet placed at the exchange")

    def _marker(self, stub: gateway_pb2_grpc.GatewayServiceStub, pod_id: str) -> str:
        """Place one last order; once settled, its final event closes the pod's feed so far."""
        request = _market_order(f"{pod_id}-{self._segments}-marker", True)
        answer = stub.SubmitOrder(request, metadata=auth.bearer_metadata(TOKENS[pod_id]), timeout=10)
        self.acked[pod_id][request.client_order_id] = answer.order
        return request.client_order_id

    def _check_feed(
        self, outcome: Outcome, stub: gateway_pb2_grpc.GatewayServiceStub, pod_id: str, marker: str, fill_count: int
    ) -> None:
        """The whole feed from sequence 0 has no gap or repeat and carries each fill once, and the
        follower, which resumed after every gateway kill, saw exactly the same events."""
        metadata = auth.bearer_metadata(TOKENS[pod_id])
        events: list[tuple[int, bytes]] = []
        fills_in_feed = 0
        feed = stub.StreamExecutions(
            gateway_pb2.StreamExecutionsRequest(after_sequence=0), metadata=metadata, timeout=30
        )
        for event in feed:
            events.append((event.sequence, event.SerializeToString(deterministic=True)))
            fills_in_feed += event.HasField("fill")
            if event.HasField("order") and event.order.client_order_id == marker and _closed(event.order):
                break
        feed.cancel()
        sequences = [sequence for sequence, _ in events]
        if gaps := _gaps(sequences):
            outcome.problem("feed_gaps", f"{pod_id}: the feed from 0 has {gaps} gaps or repeats")
        if fills_in_feed != fill_count:
            outcome.problem("feed_gaps", f"{pod_id}: {fills_in_feed} fills in the feed, {fill_count} booked")
        deadline = time.monotonic() + 10
        while (
            not self.followed[pod_id] or self.followed[pod_id][-1][0] < sequences[-1]
        ) and time.monotonic() < deadline:
            self.stop_trading.wait(0.02)
        followed = [event for event in self.followed[pod_id] if event[0] <= sequences[-1]]
        if followed != events:
            missing = len(set(sequences) - {sequence for sequence, _ in followed})
            extra = len(followed) - (len(events) - missing)
            outcome.feed_gaps += missing + extra
            outcome.problems.append(f"{pod_id}: the resuming follower missed {missing} events and saw {extra} twice")

    def _check_nonces(self, outcome: Outcome) -> None:
        """Each nonce of the trading key is used once, and each gateway process's nonces are above
        every nonce of the processes before it."""
        signed = [r for r in self.simulator.requests if r.signed and r.api_key == TRADING_KEY]
        stamps = [r.timestamp_ms or 0 for r in signed]
        if repeated := len(stamps) - len(set(stamps)):
            outcome.problem("nonce_violations", f"{repeated} nonces were used twice")
        highest = 0
        for start, end in zip(self.incarnations, [*self.incarnations[1:], float("inf")], strict=True):
            here = [
                r.timestamp_ms or 0
                for r in signed
                if start + INCARNATION_MARGIN_S <= r.arrival_s < end + INCARNATION_MARGIN_S
            ]
            if below := sum(1 for stamp in here if stamp <= highest):
                outcome.problem("nonce_violations", f"{below} nonces after a restart were not above the last")
            highest = max([highest, *here])

    @contextlib.contextmanager
    def _analytics(self) -> Iterator[Any]:
        with grpc.insecure_channel(self.address("analytics")) as channel:
            stub = analytics_pb2_grpc.AnalyticsServiceStub(channel)
            yield _Authorized(stub, auth.bearer_metadata(ADMIN))

    @staticmethod
    def _lifecycle_state(analytics: Any) -> dict[str, tuple[Any, ...]]:
        """Each pod's stage, since when, whether overridden, and its transitions so far."""
        listed = analytics.ListLifecycles(analytics_pb2.ListLifecyclesRequest(), timeout=10).lifecycles
        return {
            pod.pod_id: (
                pod.stage,
                pod.stage_time,
                pod.overridden,
                list(
                    analytics.GetLifecycleHistory(
                        analytics_pb2.GetLifecycleHistoryRequest(pod_id=pod.pod_id), timeout=10
                    ).transitions
                ),
            )
            for pod in listed
        }

    def _check_lifecycles(self, outcome: Outcome) -> None:
        """The analytics service, never killed, still evaluates against the restarted services,
        and every pod's lifecycle (the override included) is as it was before the faults."""
        with self._analytics() as analytics:
            analytics.EvaluateLifecycles(analytics_pb2.EvaluateLifecyclesRequest(requested_by="crash-test"), timeout=30)
            now = self._lifecycle_state(analytics)
        if not self.lifecycles or self.lifecycles[TRADERS[0]][0] != common_pb2.LIFECYCLE_STAGE_GROWTH:
            outcome.problem("state_lost", "the lifecycle override was not recorded before the faults")
        for pod_id, (stage, since, overridden, history) in self.lifecycles.items():
            if (
                now.get(pod_id, (None,) * 4)[:3] != (stage, since, overridden)
                or now[pod_id][3][: len(history)] != history
            ):
                outcome.problem("state_lost", f"{pod_id}: lifecycle changed over the faults")

    def _check_halt_enforced(self, outcome: Outcome, stub: gateway_pb2_grpc.GatewayServiceStub) -> None:
        request = _market_order(f"halted-probe-{self._segments}", True)
        answer = stub.SubmitOrder(request, metadata=auth.bearer_metadata(TOKENS[HALTED]), timeout=5)
        if answer.order.reject_reason != gateway_pb2.REJECT_REASON_POD_HALTED:
            outcome.problem("state_lost", f"{HALTED} traded although halted before the restarts")


class _Authorized:
    """A stub whose every call carries the admin token."""

    def __init__(self, stub: Any, metadata: Any) -> None:
        self._stub = stub
        self._metadata = metadata

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._stub, name)
        return lambda request, **kwargs: method(request, metadata=self._metadata, **kwargs)


def _market_order(client_order_id: str, buy: bool) -> gateway_pb2.SubmitOrderRequest:
    request = gateway_pb2.SubmitOrderRequest(
        client_order_id=client_order_id,
        symbol=SYMBOL,
        side=common_pb2.ORDER_SIDE_BUY if buy else common_pb2.ORDER_SIDE_SELL,
        type=gateway_pb2.ORDER_TYPE_MARKET,
        quantity=QUANTITY,
        decision_price="50000",
    )
    request.decision_time.FromDatetime(datetime.now(timezone.utc))
    return request


def _closed(order: gateway_pb2.Order) -> bool:
    return order.status in (
        gateway_pb2.ORDER_STATUS_FILLED,
        gateway_pb2.ORDER_STATUS_CANCELED,
        gateway_pb2.ORDER_STATUS_REJECTED,
    )


def _gaps(sequences: list[int]) -> int:
    """Missing plus repeated sequence numbers, against 1..the highest."""
    if not sequences:
        return 0
    return (max(sequences) - len(set(sequences))) + (len(sequences) - len(set(sequences)))


def markdown_table(outcomes: Iterator[Outcome] | list[Outcome]) -> str:
    rows = [
        "| seed | kills (fed/gw/aud) | orders acked | fills | lost | duplicated | nonce violations | feed gaps |"
        " state lost | open orders at gateway kills |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for o in outcomes:
        kills = "/".join(str(o.kills[s]) for s in SERVICES)
        rows.append(
            f"| {o.seed} | {kills} | {o.acked} | {o.fills} | {o.lost} | {o.duplicated} | {o.nonce_violations}"
            f" | {o.feed_gaps} | {o.state_lost} | {o.open_at_gateway_kills} |"
        )
    return "\n".join(rows)
