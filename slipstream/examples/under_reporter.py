"""A dishonest pod, for auditor drills and the demo: it trades like `momentum` through the
gateway but reports only half of every position in its Status. The independent auditor
compares that report with the gateway's books and the venue's own ledger, and must catch it.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from slipstream.core.model import PodStatus, Position
from slipstream.examples import START_PRICES
from slipstream.examples.momentum import Momentum
from slipstream.pod.runner import pod_main
from slipstream.pod.runtime import PodRuntime


class HalfReportingRuntime(PodRuntime):
    def status(self) -> PodStatus:
        truth = super().status()
        halved = tuple(
            Position.marked(p.symbol, p.quantity / 2, p.mark_price, p.average_entry_price) for p in truth.positions
        )
        return replace(
            truth,
            positions=halved,
            net_exposure_usd=sum((p.notional_usd for p in halved), Decimal(0)),
            gross_exposure_usd=sum((abs(p.notional_usd) for p in halved), Decimal(0)),
        )


if __name__ == "__main__":
    pod_main(Momentum, "under-reporter", START_PRICES, runtime_class=HalfReportingRuntime)
