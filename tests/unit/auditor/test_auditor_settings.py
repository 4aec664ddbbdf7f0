from pathlib import Path

import pytest

from slipstream.auditor.reconcile import Action
from slipstream.auditor.settings import load_auditor_settings
from slipstream.core.config import ConfigError

BASE = 'federation = "127.0.0.1:1"\ngateway = "127.0.0.1:2"\n'
ACCOUNT = (
    '[[accounts]]\nname = "b"\nexchange = "binanceusdm"\n'
    'api_key = "key-1234"\nsecret = "secret-5678"\nsymbols = ["BTC/USDT:USDT"]\n'
)


def load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "auditor.toml"
    path.write_text(text)
    return load_auditor_settings(path, tmp_path, None)


def test_policy_and_pods_are_read(tmp_path: Path) -> None:
    settings = load(
        tmp_path,
        BASE + ACCOUNT + '[pods]\nalpha = "b"\n[policy]\ndefault_action = "halt"\n'
        'halt_after_audits = 3\n[policy.pod_actions]\nalpha = "observe"\n',
    )
    assert settings.pod_accounts == {"alpha": "b"} and settings.policy.halt_after_audits == 3
    assert settings.policy.action("alpha") is Action.OBSERVE and settings.policy.action("other") is Action.HALT
    shown = repr(settings) + str(settings.accounts["b"])
    assert "key-1234" not in shown and "secret-5678" not in shown  # credentials never print


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('gateway = "x"\n', "federation"),
        (BASE + ACCOUNT.replace("binanceusdm", "nope"), "accounts\\[0\\].exchange"),
        (BASE + ACCOUNT + '[pods]\nalpha = "missing"\n', "pods"),
        (BASE + '[policy]\ndefault_action = "explode"\n', "policy.default_action"),
        (BASE + '[policy]\ncritical_usd = "-5"\n', "policy.critical_usd"),
    ],
)
def test_bad_file_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load(tmp_path, text)
