from pathlib import Path

import pytest

from slipstream.datalake.server import LakeSettingsError, load_lake_settings


def test_file_and_command_line_combine(tmp_path: Path) -> None:
    config = tmp_path / "lake.toml"
    config.write_text('listen = "127.0.0.1:7000"\n[viewer_tokens]\nresearch = "r"\n[volatility]\nspan_days = 25\n')
    settings = load_lake_settings(config, tmp_path, None, {"pod": "p"})
    assert settings.listen == "127.0.0.1:7000"
    assert settings.viewer_tokens == {"research": "r", "pod": "p"}
    assert settings.volatility.span_days == 25 and settings.volatility.slow_proportion == 0.3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[volatility]\nspam = 1", "volatility.spam"),
        ("[volatility]\nspan_days = -3", "volatility.span_days"),
        ("[volatility]\nslow_proportion = 1.5", "slow_proportion"),
        ('admin_token_env = "SURELY_UNSET_42"', "SURELY_UNSET_42"),
    ],
)
def test_bad_file_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "lake.toml"
    config.write_text(text)
    with pytest.raises(LakeSettingsError, match=message):
        load_lake_settings(config, tmp_path, None, {})
