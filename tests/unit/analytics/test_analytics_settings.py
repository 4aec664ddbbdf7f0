"""The analytics configuration file: defaults, every policy table, and errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from slipstream.analytics.lifecycle import PromotionRule, StageCap
from slipstream.analytics.server import DEFAULT_LISTEN, AnalyticsSettings
from slipstream.analytics.service import AnalyticsPolicy
from slipstream.analytics.settings import load_analytics_settings
from slipstream.core.config import ConfigError

BASE = 'federation = "127.0.0.1:1"\ngateway = "127.0.0.1:2"\n'


def load(tmp_path: Path, text: str, readers: dict[str, str] | None = None) -> AnalyticsSettings:
    path = tmp_path / "analytics.toml"
    path.write_text(text)
    return load_analytics_settings(path, tmp_path, None, readers)


def test_the_defaults_need_only_the_federation_and_the_gateway(tmp_path: Path) -> None:
    settings = load(tmp_path, BASE)

    assert settings.listen == DEFAULT_LISTEN == "127.0.0.1:50056"
    assert settings.lake is None and settings.viewer_tokens == {}
    assert settings.policy == AnalyticsPolicy()
    assert settings.policy.factor_symbols == ["BTC/USD", "ETH/USD"]


def test_every_policy_table_is_read(tmp_path: Path) -> None:
    settings = load(
        tmp_path,
        BASE
        + 'lake = "127.0.0.1:3"\nmin_observations = 40\nexecution_review_days = 14\n'
        + '[viewer_tokens]\nresearch = "r-token"\n'
        + '[factors]\nbtc = "BTC/USDT"\neth = "ETH/USDT"\n'
        + "[grades]\ngood_max_bps = 4\n"
        + "[review]\nmax_total_cost_bps = 20\nmin_order_count = 50\n"
        + "[fake_alpha]\nalpha_t_min = 2.5\n"
        + "[intent]\nmaker_max_taker_share = 0.6\n"
        + "[lifecycle]\ncooldown_days = 3\nto_growth = { min_observations = 120, min_psr = 0.97 }\n"
        + "[lifecycle.caps]\nmaturity = { max_fraction = 0.2, max_usd = 5000000 }\n",
        readers={"ops": "o-token"},
    )

    policy = settings.policy
    assert settings.lake == "127.0.0.1:3" and settings.viewer_tokens == {"research": "r-token", "ops": "o-token"}
    assert (policy.btc_symbol, policy.eth_symbol) == ("BTC/USDT", "ETH/USDT")
    assert policy.min_observations == 40 and policy.execution_review_days == 14
    assert policy.grades.good_max_bps == 4.0 and policy.grades.fair_max_bps == 15.0
    assert policy.review.max_total_cost_bps == 20.0 and policy.review.min_order_count == 50
    assert policy.fake_alpha.alpha_t_min == 2.5 and policy.intent.maker_max_taker_share == 0.6
    assert policy.lifecycle.cooldown_days == 3 and policy.lifecycle.to_growth == PromotionRule(120, 0.97)
    assert policy.lifecycle.to_evaluation == PromotionRule(30, 0.90)
    assert policy.lifecycle.caps.maturity == StageCap(0.2, 5_000_000.0)
    assert policy.lifecycle.caps.incubation == StageCap(0.005, 25_000.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('gateway = "x"\n', "federation: required"),
        (BASE + "colour = 1\n", "colour: unknown key"),
        (BASE + "[review]\nmax_total_cost_bps = 'a lot'\n", "review.max_total_cost_bps: must be a number"),
        (BASE + "[review]\nmin_order_count = 2.5\n", "review.min_order_count: must be a whole number"),
        (BASE + "[review]\nmin_order_count = 0\n", "review.min_order_count: must be >= 1"),
        (BASE + "[grades]\ngood_max_bps = 50\n", "grades: bounds must increase"),
        (BASE + "[intent]\nspeed = 3\n", "intent.speed: unknown key"),
        (BASE + "[lifecycle]\nto_growth = { min_psr = 1.5 }\n", "lifecycle.to_growth"),
        (BASE + "[lifecycle]\ndecay_min_psr = 2\n", "lifecycle.decay_min_psr: must be in"),
        (BASE + "[lifecycle.caps]\nlimbo = { max_fraction = 0.1 }\n", "lifecycle.caps.limbo: unknown stage"),
        (BASE + "[lifecycle.caps]\ngrowth = { max_fraction = 2 }\n", "lifecycle.caps.growth.max_fraction"),
        (BASE + '[factors]\nbtc = "X"\neth = "X"\n', "factors: "),
        (BASE + "min_observations = 3\n", "min_observations: must be >= 4"),
    ],
)
def test_errors_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load(tmp_path, text)
