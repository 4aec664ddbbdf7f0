from pathlib import Path

import pytest

from slipstream.core.config import ConfigError
from slipstream.core.model import ExecutionIntent
from slipstream.federation.settings import load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "federation.toml"
    path.write_text(text)
    return path


def test_full_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOMENTUM_TOKEN", "secret")
    settings = load_settings(
        write(
            tmp_path,
            f"""
listen = "127.0.0.1:6000"
data_dir = "{tmp_path / "data"}"
admin_token = "adm"
poll_interval_seconds = 2.5
[default_limits]
capital_allocation_usd = "5000"
[[pods]]
pod_id = "momentum"
token_env = "MOMENTUM_TOKEN"
address = "127.0.0.1:7000"
language = "rust"
execution_intent = "taker"
[pods.limits]
capital_allocation_usd = "900"
symbol_limits = [{{ symbol = "BTC/USDT", max_position_quantity = "0.5" }}]
""",
        )
    )
    assert settings.listen == "127.0.0.1:6000" and settings.poll_interval_s == 2.5
    (pod,) = settings.pods
    assert pod.token == "secret" and pod.address == "127.0.0.1:7000"
    assert pod.execution_intent is ExecutionIntent.TAKER
    assert str(settings.limits_for("momentum").capital_allocation_usd) == "900"
    assert str(settings.limits_for("other").capital_allocation_usd) == "5000"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[pods]]\npod_id = "x y"\ntoken = "t"', "pods[0].pod_id"),
        ('[[pods]]\npod_id = "a"', "pods[0].token"),
        ('[[pods]]\npod_id = "a"\ntoken_env = "SURELY_NOT_SET_42"', "SURELY_NOT_SET_42"),
        ('[default_limits]\ncapital_allocation_usd = "-1"', "default_limits.capital_allocation_usd"),
        ('[[pods]]\npod_id = "a"\ntoken = "t"\naddress = "nowhere"', "pods[0].address"),
        ("poll_interval_seconds = 0", "poll_interval_seconds"),
        ("not toml at all [", "federation.toml"),
    ],
)
def test_bad_file_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_settings(write(tmp_path, text))


def test_admin_token_file_is_created_private_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLIPSTREAM_ADMIN_TOKEN", raising=False)
    settings = load_settings(None, data_dir=tmp_path / "d")
    token = settings.resolve_admin_token()
    assert len(token) >= 32
    assert (tmp_path / "d" / "admin.token").stat().st_mode & 0o777 == 0o600
    assert settings.resolve_admin_token() == token
