"""JSON and TOML read from files: nesting too deep for the parser is a decode error like any
other, never a RecursionError that escapes the caller's handling of damaged data."""

from __future__ import annotations

import json
import tomllib
from typing import Any


def parse_json(data: bytes | str) -> Any:
    """`json.loads`, raising `json.JSONDecodeError` (a ValueError) for any undecodable text,
    nesting too deep included."""
    try:
        return json.loads(data)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", "", 0) from None


def parse_toml(text: str) -> dict[str, Any]:
    """`tomllib.loads`, raising `tomllib.TOMLDecodeError` for nesting too deep as well."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError("arrays or tables nested too deeply") from None
