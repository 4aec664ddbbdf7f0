"""Point a ccxt client at another base URL (a simulator, a testnet proxy, a co-located relay).

Every API URL is rewritten, sandbox and demo ones included, so nothing can reach the default
hosts. ccxt picks some exchanges' error tables by the URL's host (Binance's per-market codes,
e.g. -2019 -> InsufficientFunds on fapi), so errors are still mapped as for the real host.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import ccxt


def point_at(client: ccxt.Exchange, base_url: str) -> ccxt.Exchange:
    base_url = base_url.rstrip("/")
    real_api_urls: dict[str, str] = dict(client.urls["api"])
    for name in ("api", "test", "demo"):
        if name in client.urls and isinstance(client.urls[name], dict):
            client.urls[name] = {key: base_url + urlsplit(url).path for key, url in client.urls[name].items()}
    # Binance's fapi and dapi share /futures/data; fapi sorts last and wins (USD-M is the default).
    real_by_path = {
        urlsplit(url).path: url for _, url in sorted(real_api_urls.items(), key=lambda item: item[0].startswith("fapi"))
    }
    exceptions_by_url = getattr(client, "get_exceptions_by_url", None)
    if exceptions_by_url is None:
        return client

    def exceptions_by_real_url(url: str | None, exact_or_broad: str) -> Any:
        if url is not None and url.startswith(base_url + "/"):
            path = url[len(base_url) :]
            for prefix, real in real_by_path.items():
                if path.startswith(prefix + "/"):
                    url = real + path[len(prefix) :]
                    break
        return exceptions_by_url(url, exact_or_broad)

    client.get_exceptions_by_url = exceptions_by_real_url
    return client
