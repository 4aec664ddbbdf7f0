"""The orchestrator: federation cycles, on a schedule or over history, and the operator's audited overrides."""
