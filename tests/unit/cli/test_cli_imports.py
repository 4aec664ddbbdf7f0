"""The CLI starts without the analysis stack: `slipstream pods` and every `slipstream serve X` restart
would otherwise pay seconds of imports (pandas, scipy, statsmodels, duckdb) before doing anything.
A regression guard on what is imported, not a timing test; each check runs in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support import REPO_ROOT

HEAVY = ("pandas", "scipy", "statsmodels", "duckdb")

# Prints which of the heavy modules (and ccxt) are imported so far; the code under test calls it.
_REPORT = f"def report():\n    print(json.dumps(sorted(m for m in {HEAVY + ('ccxt',)!r} if m in sys.modules)))"


def _loaded_at_reports(code: str) -> list[list[str]]:
    """Run `code` in a fresh interpreter; return what was imported at each of its `report()` calls."""
    done = subprocess.run(
        [sys.executable, "-c", f"import json, sys\n{_REPORT}\n{code}"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO_ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_importing_the_cli_and_building_its_parser_imports_no_heavy_module() -> None:
    # Act
    loaded = _loaded_at_reports(
        "import slipstream.cli.main as cli\n"
        "report()\n"
        "parser = cli.build_parser()\n"
        "parser.parse_args(['pods'])\n"
        "parser.parse_args(['lake', 'coverage'])\n"
        "parser.parse_args(['lifecycle', '--force', 'growth'])\n"
        "report()"
    )

    # Assert: ccxt too, which only the exchange commands need.
    assert loaded == [[], []]


def test_serve_gateway_imports_only_the_gateway(tmp_path: Path) -> None:
    # Arrange: a paper-only gateway, as `slipstream serve gateway --config` would load it.
    config = tmp_path / "gateway.toml"
    config.write_text(
        'admin_token = "admin"\n'
        '[[accounts]]\nname = "paper"\n[accounts.prices]\n"BTC/USDT" = "60000"\n'
        '[[pods]]\npod_id = "alpha"\ntoken = "alpha-token"\naccount = "paper"\n'
        '[pods.limits]\ncapital_allocation_usd = "1000"\n'
    )
    argv = ["--data-dir", str(tmp_path), "serve", "gateway", "--config", str(config), "--listen", "127.0.0.1:0"]

    # Act: resolve the settings and serve coroutine exactly as `cmd_serve` does, without serving.
    loaded = _loaded_at_reports(
        "import slipstream.cli.main as cli\n"
        f"args = cli.build_parser().parse_args({argv!r})\n"
        "args.data_dir_given = True\n"
        "settings, serve = cli._service(args)\n"
        "assert serve.__module__ == 'slipstream.gateway.server', serve.__module__\n"
        "assert 'slipstream.optimizer.server' not in sys.modules and 'slipstream.auditor.server' not in sys.modules\n"
        "report()"
    )

    # Assert: nothing of the analysis stack, and no ccxt for a gateway without exchange accounts.
    assert loaded == [[]]
