"""``ControlRoomSettings``: every ``CLERK_*`` knob of the Control Room in one object.

The variables and their defaults are listed in the ``controlroom`` package docstring.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from clerk.paths import clerk_home
from controlroom import _limits as limits

if TYPE_CHECKING:
    from controlroom.services.processes import RetryPolicy

SIGNING_KEY_FILE = "signing.key"


def controlroom_home() -> Path:
    return clerk_home() / "controlroom"


def _default_database_url() -> str:
    return f"sqlite:///{controlroom_home() / 'controlroom.db'}"


def _default_files_dir() -> Path:
    return controlroom_home() / "files"


class ControlRoomSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLERK_", extra="ignore")

    database_url: str = Field(default_factory=_default_database_url)
    files_dir: Path = Field(default_factory=_default_files_dir)
    controlroom_host: str = "127.0.0.1"
    controlroom_port: int = Field(default=8765, ge=0, le=65535)
    controlroom_url: str | None = None
    signing_key: str | None = None
    signed_url_ttl: int = Field(default=300, ge=1, le=limits.DAY_SECONDS)
    max_payload_bytes: int = Field(default=1024 * 1024, ge=1, le=2**30)
    max_file_bytes: int = Field(default=100 * 1024 * 1024, ge=1, le=2**40)
    max_run_items: int = Field(default=limits.DEFAULT_MAX_RUN_ITEMS, ge=1, le=10**6)
    max_process_steps: int = Field(default=limits.DEFAULT_MAX_PROCESS_STEPS, ge=1, le=1000)
    retry_max_attempts: int = Field(default=3, ge=1, le=limits.MAX_ATTEMPTS)
    retry_backoff_seconds: float = Field(default=30.0, ge=0, le=limits.MAX_BACKOFF_SECONDS)
    retry_backoff_factor: float = Field(default=2.0, ge=1, le=limits.MAX_BACKOFF_FACTOR)
    retry_max_backoff_seconds: float = Field(default=3600.0, ge=0, le=limits.MAX_BACKOFF_SECONDS)
    workspace: str = "default"
    # Days a step run's logs and artifacts are kept after it ended; 0 keeps them forever.
    artifact_retention_days: float = Field(default=30.0, ge=0, le=36500)

    def retry_policy(self) -> RetryPolicy:
        """The retry policy a new step gets unless its creator says otherwise."""
        from controlroom.services.processes import RetryPolicy

        return RetryPolicy(
            max_attempts=self.retry_max_attempts,
            backoff_seconds=self.retry_backoff_seconds,
            backoff_factor=self.retry_backoff_factor,
            max_backoff_seconds=self.retry_max_backoff_seconds,
        )

    def signing_key_bytes(self) -> bytes:
        """``CLERK_SIGNING_KEY``, or a key generated on first use and kept (mode 0600)
        beside the database so signed URLs survive restarts."""
        if self.signing_key:
            return self.signing_key.encode()
        path = controlroom_home() / SIGNING_KEY_FILE
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # O_EXCL: two processes starting together must not overwrite each other's key.
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_hex(32))
        key = path.read_text().strip()
        if not key:
            raise RuntimeError(f"signing key file {path} is empty: delete it to regenerate")
        return key.encode()
