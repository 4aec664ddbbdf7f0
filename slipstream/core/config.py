"""Reading secrets in configuration files: inline, or (better) from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any


class ConfigError(ValueError):
    """A configuration file is malformed; the message names the key."""


def secret(table: Mapping[str, Any], key: str, where: str) -> str | None:
    """`key` inline, or the environment variable named by `key_env`; None when neither is given.

    The error names the key and the variable, never a value.
    """
    if key in table:
        return str(table[key])
    env_key = f"{key}_env"
    if env_key in table:
        value = os.environ.get(str(table[env_key]))
        if not value:
            raise ConfigError(f"{where}{env_key}: environment variable {table[env_key]!r} is not set")
        return value
    return None
