"""The meta-optimizer's pure core: from the pods' track records to capital, limits and stress cuts.

One cycle: `performance` turns snapshots into returns on allocated capital, `covariance` estimates
their risk, `allocation`/`hrp` turn it into target weights, `decay` and `constraints` turn those
into capital per pod with a reason for every bound that bit, `sizing` and `liquidity` into
per-symbol caps, and `stress` cuts the pods that make the whole a single bet on BTC. `cycle`
chains the allocation half. No I/O: the transport layer converts to and from the wire.
"""
