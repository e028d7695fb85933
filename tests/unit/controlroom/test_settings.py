"""ControlRoomSettings: defaults under CLERK_HOME, env overrides, the signing key."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from controlroom.settings import ControlRoomSettings


def test_defaults_live_under_clerk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_HOME", str(tmp_path))
    for name in ("CLERK_DATABASE_URL", "CLERK_FILES_DIR", "CLERK_SIGNING_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings = ControlRoomSettings()
    assert settings.database_url == f"sqlite:///{tmp_path / 'controlroom' / 'controlroom.db'}"
    assert settings.files_dir == tmp_path / "controlroom" / "files"
    assert (settings.controlroom_host, settings.controlroom_port) == ("127.0.0.1", 8765)


def test_env_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_DATABASE_URL", "postgresql+psycopg://db/cr")
    monkeypatch.setenv("CLERK_MAX_FILE_BYTES", "1234")
    monkeypatch.setenv("CLERK_CONTROLROOM_PORT", "9000")
    monkeypatch.setenv("CLERK_RETRY_MAX_ATTEMPTS", "5")
    settings = ControlRoomSettings()
    assert settings.retry_policy().max_attempts == 5
    assert (settings.database_url, settings.max_file_bytes, settings.controlroom_port) == (
        "postgresql+psycopg://db/cr",
        1234,
        9000,
    )


def test_signing_key_is_generated_once_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLERK_HOME", str(tmp_path))
    monkeypatch.delenv("CLERK_SIGNING_KEY", raising=False)
    first = ControlRoomSettings().signing_key_bytes()
    assert ControlRoomSettings().signing_key_bytes() == first and len(first) == 64
    mode = (tmp_path / "controlroom" / "signing.key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    monkeypatch.setenv("CLERK_SIGNING_KEY", "explicit")
    assert ControlRoomSettings().signing_key_bytes() == b"explicit"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CLERK_RETRY_BACKOFF_SECONDS", "1e308"),
        ("CLERK_RETRY_MAX_BACKOFF_SECONDS", "inf"),
        ("CLERK_RETRY_BACKOFF_FACTOR", "1e9"),
        ("CLERK_RETRY_MAX_ATTEMPTS", "1000000"),
    ],
)
def test_retry_defaults_are_bounded(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    from pydantic import ValidationError

    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        ControlRoomSettings()


@pytest.mark.parametrize(
    "name", ["CLERK_SIGNED_URL_TTL", "CLERK_MAX_RUN_ITEMS", "CLERK_MAX_PROCESS_STEPS"]
)
def test_limits_and_intervals_are_bounded(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    from pydantic import ValidationError

    monkeypatch.setenv(name, str(10**12))
    with pytest.raises(ValidationError):
        ControlRoomSettings()
