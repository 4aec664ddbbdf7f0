"""The federation's behaviour: registration, polling, reconciliation and the kill switches.

Intent is persisted before it is sent: a halt, resume or new config is written to the store
first and then pushed, and every poll reconciles the pod with the stored intent. So a pod
that was unreachable when halted is halted as soon as it answers again, and a restart of the
federation loses no decision.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta

from slipstream.core.clock import Clock
from slipstream.core.errors import InvalidArgument, NotFound
from slipstream.core.model import (
    ExecutionIntent,
    HaltCommand,
    HaltReason,
    PodConfig,
    PodLimits,
    PodStatus,
    TradingState,
    validate_pod_id,
)
from slipstream.federation.pod_client import PodCallFailed, PodClient, PodTarget
from slipstream.federation.registry import HaltOutcomeKind, PodHaltResult, PodRecord, Snapshot
from slipstream.federation.settings import FederationSettings
from slipstream.federation.store import FederationStore
from slipstream.transport.auth import new_token

log = logging.getLogger(__name__)

MAX_SNAPSHOTS = 100_000


class Federation:
    def __init__(self, settings: FederationSettings, store: FederationStore, pods: PodClient, clock: Clock) -> None:
        self.settings = settings
        self.store = store
        self.pods = pods
        self.clock = clock
        self.admin_token = settings.resolve_admin_token()
        now = clock.now()
        with store.transaction():
            for declared in settings.pods:
                store.put_credential(declared.pod_id, declared.token, "config")
                if declared.address is not None:
                    store.upsert_registration(
                        declared.pod_id,
                        declared.address,
                        declared.language,
                        declared.execution_intent,
                        now,
                        self._initial_config(declared.pod_id),
                    )
        self._tokens = store.credentials()
        self._background: set[asyncio.Task[None]] = set()
        self._halts_in_flight: Counter[str] = Counter()

    def _initial_config(self, pod_id: str) -> PodConfig:
        """Version 1, granted at first registration: active, with the declared or default limits."""
        return PodConfig(config_version=1, trading_state=TradingState.ACTIVE, limits=self.settings.limits_for(pod_id))

    def pod_tokens(self) -> dict[str, str]:
        return dict(self._tokens)

    def _require(self, pod_id: str) -> PodRecord:
        record = self.store.get(pod_id)
        if record is None:
            raise NotFound(f"pod {pod_id!r} is not registered")
        return record

    def _target(self, record: PodRecord) -> PodTarget:
        return PodTarget(record.pod_id, record.address, self._tokens[record.pod_id])

    async def register(
        self, pod_id: str, address: str, language: str, intent: ExecutionIntent, *, by_admin: bool
    ) -> tuple[PodRecord, bool, str]:
        """Register or re-register a pod; return its record, whether it is new, and any issued token."""
        validate_pod_id(pod_id)
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise InvalidArgument("address", f"must be host:port, got {address[:80]!r}")
        if not 1 <= len(language) <= 32:
            raise InvalidArgument("language", "must be 1-32 characters")
        issued = ""
        now = self.clock.now()
        with self.store.transaction():
            if pod_id not in self._tokens:
                if not by_admin:
                    raise NotFound(f"pod {pod_id!r} has no credentials")
                issued = new_token()
                self.store.put_credential(pod_id, issued, "issued")
            created = self.store.upsert_registration(
                pod_id, address, language, intent, now, self._initial_config(pod_id)
            )
            self.store.add_event(
                now, pod_id, "registered" if created else "re-registered", pod_id, {"address": address}
            )
        if issued:
            self._tokens[pod_id] = issued
        record = self._require(pod_id)
        self._spawn(self.poll_pod(record))
        return record, created, issued

    def deregister(self, pod_id: str, actor: str) -> None:
        self._require(pod_id)
        with self.store.transaction():
            self.store.deregister(pod_id)
            self.store.add_event(self.clock.now(), pod_id, "deregistered", actor, {})

    def list_pods(self) -> list[PodRecord]:
        return self.store.registered()

    def get_pod(self, pod_id: str) -> PodRecord:
        return self._require(pod_id)

    def snapshots(self, pod_id: str, start: datetime | None, end: datetime | None, max_count: int) -> list[Snapshot]:
        if self.store.get(pod_id, include_deregistered=True) is None:
            raise NotFound(f"pod {pod_id!r} is not registered")
        if not 0 <= max_count <= MAX_SNAPSHOTS:
            raise InvalidArgument("max_count", f"must be between 0 and {MAX_SNAPSHOTS}")
        return self.store.snapshots(pod_id, start, end, max_count or 10_000)

    async def halt(self, pod_id: str, command: HaltCommand, timeout: timedelta) -> PodHaltResult:
        command.validate()
        record = self._require(pod_id)
        (versioned,) = self._persist_halt([record], command)
        return await self._send_halt(record, versioned, timeout.total_seconds())

    async def halt_all(self, command: HaltCommand, timeout: timedelta) -> tuple[list[PodHaltResult], timedelta]:
        """Persist the halt for every pod, then fan it out in parallel under one deadline."""
        command.validate()
        started = self.clock.monotonic()
        records = self.store.registered(include_status=False)
        commands = self._persist_halt(records, command)
        sends = [
            self._send_halt(record, versioned, timeout.total_seconds())
            for record, versioned in zip(records, commands, strict=True)
        ]
        results = await asyncio.gather(*sends)
        return sorted(results, key=lambda r: r.pod_id), timedelta(seconds=self.clock.monotonic() - started)

    def _persist_halt(self, records: list[PodRecord], command: HaltCommand) -> list[HaltCommand]:
        """Record the halt as a new configuration version; return each pod's command carrying it.

        Each pod stays marked in flight until its `_send_halt` ends, so polling does not race it.
        """
        now = self.clock.now()
        commands = []
        with self.store.transaction():
            for record in records:
                desired = record.desired_config
                halted = replace(desired, config_version=desired.config_version + 1, trading_state=TradingState.HALTED)
                versioned = replace(command, config_version=halted.config_version)
                commands.append(versioned)
                self.store.set_desired(record.pod_id, halted, versioned)
                self.store.add_event(
                    now,
                    record.pod_id,
                    "halt",
                    command.requested_by,
                    {"reason": command.reason.value, "note": command.note, "config_version": halted.config_version},
                )
        self._halts_in_flight.update(record.pod_id for record in records)
        return commands

    async def _send_halt(self, record: PodRecord, command: HaltCommand, timeout_s: float) -> PodHaltResult:
        started = self.clock.monotonic()
        try:
            outcome = await self.pods.halt(self._target(record), command, timeout_s)
        except PodCallFailed as error:
            kind = HaltOutcomeKind.TIMEOUT if error.timed_out else HaltOutcomeKind.FAILED
            return PodHaltResult(record.pod_id, kind, str(error), timedelta(seconds=self.clock.monotonic() - started))
        finally:
            self._halts_in_flight[record.pod_id] -= 1
        kind = HaltOutcomeKind.ALREADY_HALTED if outcome.already_halted else HaltOutcomeKind.HALTED
        return PodHaltResult(record.pod_id, kind, "", timedelta(seconds=self.clock.monotonic() - started))

    async def resume(self, pod_id: str, actor: str, note: str) -> tuple[PodConfig, bool, str]:
        if not actor.strip():
            raise InvalidArgument("requested_by", "must not be empty")
        record = self._require(pod_id)
        desired = record.desired_config
        resumed = replace(desired, config_version=desired.config_version + 1, trading_state=TradingState.ACTIVE)
        with self.store.transaction():
            self.store.set_desired(pod_id, resumed, None)
            self.store.add_event(
                self.clock.now(), pod_id, "resume", actor, {"note": note, "config_version": resumed.config_version}
            )
        return (resumed, *await self._deliver(self._require(pod_id), resumed))

    async def push_config(
        self, pod_id: str, limits: PodLimits, parameters: tuple[tuple[str, str], ...], actor: str
    ) -> tuple[PodConfig, bool, str]:
        """Version and persist new limits (keeping the desired trading state), then push them."""
        if not actor.strip():
            raise InvalidArgument("requested_by", "must not be empty")
        limits.validate("limits")
        record = self._require(pod_id)
        desired = record.desired_config
        config = PodConfig(
            config_version=desired.config_version + 1,
            trading_state=desired.trading_state,
            limits=limits,
            parameters=parameters,
        )
        with self.store.transaction():
            self.store.set_desired(pod_id, config, record.pending_halt)
            self.store.add_event(
                self.clock.now(), pod_id, "configure", actor, {"config_version": config.config_version}
            )
        return (config, *await self._deliver(self._require(pod_id), config))

    async def _deliver(self, record: PodRecord, config: PodConfig) -> tuple[bool, str]:
        try:
            await self.pods.configure(self._target(record), config, self.settings.poll_timeout_s * 4)
        except PodCallFailed as error:
            return False, str(error)
        return True, ""

    async def poll_pod(self, record: PodRecord) -> None:
        """Poll one pod, store the snapshot, and bring it in line with the stored intent."""
        target = self._target(record)
        try:
            status = await self.pods.status(target, self.settings.poll_timeout_s)
            if status.pod_id != record.pod_id:
                raise PodCallFailed(f"answered as pod {status.pod_id!r}", timed_out=False)
        except PodCallFailed as error:
            log.info("poll of %s failed: %s", record.pod_id, error)
            with self.store.transaction(durable=False):
                self.store.record_poll_failure(record.pod_id, self.settings.unreachable_after_missed_polls)
            return
        with self.store.transaction(durable=False):
            self.store.record_poll_success(Snapshot.of(record.pod_id, self.clock.now(), status), status)
        await self._reconcile(record, target, status)

    async def _reconcile(self, record: PodRecord, target: PodTarget, status: PodStatus) -> None:
        current = self.store.get(record.pod_id, include_status=False)
        if current is None or self._halts_in_flight[record.pod_id]:
            # An explicit halt is on its way with its own reason; a second halt or a halted
            # configuration racing it would make the operator's halt look already done.
            return
        desired = current.desired_config
        try:
            if desired.trading_state is TradingState.HALTED and status.trading_state is not TradingState.HALTED:
                command = current.pending_halt or HaltCommand(HaltReason.MANUAL, "federation", note="re-applied")
                await self.pods.halt(target, command, self.settings.poll_timeout_s)
            if status.config == desired:
                return
            if status.config.config_version >= desired.config_version:
                # The pod holds a configuration this federation did not issue (set by hand, or kept
                # from an older registry): re-issue ours above it so the pod accepts it.
                desired = replace(desired, config_version=status.config.config_version + 1)
                with self.store.transaction():
                    self.store.set_desired(record.pod_id, desired, current.pending_halt)
                    self.store.add_event(
                        self.clock.now(),
                        record.pod_id,
                        "re-versioned",
                        "federation",
                        {"pod_version": status.config.config_version, "config_version": desired.config_version},
                    )
            await self.pods.configure(target, desired, self.settings.poll_timeout_s)
        except PodCallFailed as error:
            log.warning("reconciling %s failed: %s", record.pod_id, error)

    async def poll_once(self) -> None:
        await asyncio.gather(*(self.poll_pod(record) for record in self.store.registered(include_status=False)))

    async def run_polling(self, stop: asyncio.Event) -> None:
        """Poll every pod each interval until `stop` is set; a slow pod never delays the others."""
        while not stop.is_set():
            started = self.clock.monotonic()
            await self.poll_once()
            remaining = self.settings.poll_interval_s - (self.clock.monotonic() - started)
            try:
                await asyncio.wait_for(stop.wait(), timeout=max(remaining, 0.0))
            except TimeoutError:
                pass

    def _spawn(self, coroutine: object) -> None:
        task = asyncio.ensure_future(coroutine)  # type: ignore[call-overload]
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def close(self) -> None:
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        await self.pods.close()
