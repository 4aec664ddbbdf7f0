"""The auditor's configuration file: its own, separate from the gateway's. Example:

listen = "127.0.0.1:50054"
federation = "127.0.0.1:50051"
gateway = "127.0.0.1:50053"
admin_token_env = "SLIPSTREAM_ADMIN_TOKEN"
auditor_token_env = "SLIPSTREAM_AUDITOR_TOKEN"  # optional: read the others as an auditor (halts stay admin)
interval_seconds = 5

[policy]
default_action = "observe"          # or "halt"
halt_after_audits = 2               # a material discrepancy must persist this long
warning_usd = "1000"
critical_usd = "10000"              # material
stale_after_seconds = 30
[policy.pod_actions]
momentum = "halt"

[[accounts]]                        # read-only keys only: a trading key is refused
name = "binance-main"
exchange = "binanceusdm"
api_key_env = "AUDIT_BINANCE_KEY"
secret_env = "AUDIT_BINANCE_SECRET"
symbols = ["BTC/USDT:USDT"]
api_url = "http://127.0.0.1:9000"   # optional

[pods]                              # which account each pod trades on
momentum = "binance-main"

[viewer_tokens]                     # read exposure and discrepancies; name = token
dashboard = "..."
[auditor_tokens]                    # the same reads, and RunAudit
risk = "..."
"""

from __future__ import annotations

import tomllib
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import ccxt

from slipstream.auditor.reconcile import Action, AuditPolicy
from slipstream.auditor.server import DEFAULT_LISTEN, AuditAccountSettings, AuditorSettings
from slipstream.core.config import ConfigError, secret
from slipstream.transport.auth import token_table
from slipstream.transport.tls import client_tls_from_table, server_tls_from_table


class AuditorSettingsError(ConfigError):
    """The configuration file is malformed; the message names the key."""


def _usd(value: object, where: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise AuditorSettingsError(f"{where}: not a decimal number") from None
    if not amount.is_finite() or amount < 0:
        raise AuditorSettingsError(f"{where}: must be a finite amount >= 0")
    return amount


def _action(value: object, where: str) -> Action:
    try:
        return Action(str(value))
    except ValueError:
        raise AuditorSettingsError(f"{where}: 'observe' or 'halt', got {value!r}") from None


def load_auditor_settings(path: Path, data_dir: Path, listen: str | None) -> AuditorSettings:
    try:
        raw = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise AuditorSettingsError(f"{path}: {error}") from None
    for key in ("federation", "gateway"):
        if key not in raw:
            raise AuditorSettingsError(f"{key}: required (the address the auditor reads)")
    accounts = {}
    paper: list[str] = []
    for index, table in enumerate(raw.get("accounts", [])):
        where = f"accounts[{index}]."
        if table.get("venue") == "paper":
            paper.append(str(table.get("name", "paper")))
            continue
        exchange_id = str(table.get("exchange", ""))
        if exchange_id not in ccxt.exchanges:
            raise AuditorSettingsError(f"{where}exchange: {exchange_id!r} is not a ccxt exchange id")
        api_key, api_secret = secret(table, "api_key", where), secret(table, "secret", where)
        if not api_key or not api_secret:
            raise AuditorSettingsError(f"{where}api_key/secret: required (a read-only key)")
        accounts[str(table.get("name", exchange_id))] = AuditAccountSettings(
            exchange_id,
            tuple(str(s) for s in table.get("symbols", [])),
            api_key,
            api_secret,
            str(table["api_url"]) if "api_url" in table else None,
            dict(table.get("options", {})),
        )
    pods = {str(pod): str(account) for pod, account in raw.get("pods", {}).items()}
    unknown = sorted(set(pods.values()) - set(accounts) - set(paper))
    if unknown:
        raise AuditorSettingsError(f"pods: account {unknown[0]!r} is not one of the accounts")
    policy_table = raw.get("policy", {})
    defaults = AuditPolicy()
    policy = AuditPolicy(
        usd_tolerance=_usd(policy_table.get("tolerance_usd", defaults.usd_tolerance), "policy.tolerance_usd"),
        warning_usd=_usd(policy_table.get("warning_usd", defaults.warning_usd), "policy.warning_usd"),
        critical_usd=_usd(policy_table.get("critical_usd", defaults.critical_usd), "policy.critical_usd"),
        stale_after=timedelta(seconds=float(policy_table.get("stale_after_seconds", 30))),
        halt_after_audits=int(policy_table.get("halt_after_audits", defaults.halt_after_audits)),
        default_action=_action(policy_table.get("default_action", "observe"), "policy.default_action"),
        pod_actions={
            str(pod): _action(action, f"policy.pod_actions.{pod}")
            for pod, action in policy_table.get("pod_actions", {}).items()
        },
    )
    return AuditorSettings(
        data_dir=data_dir,
        federation=str(raw["federation"]),
        gateway=str(raw["gateway"]),
        accounts=accounts,
        pod_accounts=pods,
        listen=listen or str(raw.get("listen", DEFAULT_LISTEN)),
        admin_token=secret(raw, "admin_token", ""),
        auditor_token=secret(raw, "auditor_token", ""),
        viewer_tokens=token_table(raw, "viewer_tokens"),
        auditor_tokens=token_table(raw, "auditor_tokens"),
        policy=policy,
        interval_s=float(raw.get("interval_seconds", 5.0)),
        paper_accounts=tuple(paper),
        lake=str(raw["lake"]) if "lake" in raw else None,
        beta_reference=str(raw.get("beta_reference", "BTC/USD")),
        tls=server_tls_from_table(raw),
        client_tls=client_tls_from_table(raw),
    )
