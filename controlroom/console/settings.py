"""``ConsoleSettings``: the web console's ``CLERK_*`` knobs (listed in ``controlroom.console``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from clerk.paths import clerk_home
from controlroom import limits


def _default_inbox() -> Path:
    return clerk_home() / "inbox"


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLERK_", extra="ignore")

    # Secure cookies need TLS; the default deployment listens on loopback over plain HTTP.
    cookie_secure: bool = False
    session_seconds: int = Field(default=8 * 3600, ge=60, le=30 * limits.DAY_SECONDS)
    review_lock_seconds: int = Field(default=600, ge=10, le=limits.DAY_SECONDS)
    login_max_failures: int = Field(default=5, ge=1, le=10_000)
    login_window_seconds: int = Field(default=300, ge=1, le=limits.DAY_SECONDS)
    inbox_dir: Path = Field(default_factory=_default_inbox)
    page_dpi: int = Field(default=110, ge=36, le=300)
    drift_psi_threshold: float = Field(default=0.2, gt=0, le=100)
