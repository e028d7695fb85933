"""One Xvfb, one ERP database and one signed-in desktop bot (with its client) for the
session; faults are reset after each test. The client inherits this process's
environment: its database, account and faults file come from ``CLERK_SANDBOX_*``."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clerk.display import VirtualDisplay
from robots.bots import BotSettings
from robots.bots.desktop import DesktopErpBot
from robots.credentials import Credential
from sandbox._erp_store import ErpStore
from sandbox.desktop import set_desktop_faults
from sandbox.settings import SandboxSettings
from tests.e2e.bots.conftest import PASSWORD


def _setenv(values: dict[str, str]) -> dict[str, str | None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    return saved


def _restore(saved: dict[str, str | None]) -> None:
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def xvfb() -> Iterator[str]:
    if shutil.which("Xvfb") is None:
        pytest.skip("needs Xvfb (scripts/setup installs it)")
    with VirtualDisplay() as display:
        saved = _setenv({"DISPLAY": display.name})
        yield display.name
        _restore(saved)


@pytest.fixture(scope="session")
def desktop_erp(tmp_path_factory: pytest.TempPathFactory, xvfb: str) -> Iterator[SandboxSettings]:
    folder = tmp_path_factory.mktemp("desktop-erp")
    values = {
        "CLERK_SANDBOX_ERP_DB": str(folder / "erp.sqlite3"),
        "CLERK_SANDBOX_PASSWORD": PASSWORD,
        "CLERK_SANDBOX_DESKTOP_FAULTS": str(folder / "faults.json"),
    }
    saved = _setenv(values)
    settings = SandboxSettings()
    ErpStore(settings.erp_db_path(), settings.samples_dir)  # schema, vendors, history
    yield settings
    _restore(saved)


@pytest.fixture(scope="session")
def desktop_settings(tmp_path_factory: pytest.TempPathFactory) -> BotSettings:
    return BotSettings(
        bot_artifacts_dir=tmp_path_factory.mktemp("desktop-artifacts"), bot_timeout_ms=10_000
    )


@pytest.fixture(scope="session")
def desktop_bot(
    desktop_erp: SandboxSettings, desktop_settings: BotSettings
) -> Iterator[DesktopErpBot]:
    with DesktopErpBot(desktop_settings, Credential("ERP", "robot", PASSWORD)) as bot:
        yield bot


@pytest.fixture()
def desktop_faults(desktop_erp: SandboxSettings) -> Iterator[Any]:
    """``desktop_faults(layout=2, ...)`` switches the running client's faults; all are
    cleared after the test."""
    path = desktop_erp.desktop_faults_path()

    def apply(**values: Any) -> None:
        set_desktop_faults(path, **values)

    yield apply
    set_desktop_faults(path)


def desktop_ledger(settings: SandboxSettings) -> list[dict[str, Any]]:
    return ErpStore(settings.erp_db_path(), settings.samples_dir).ledger()["invoices"]


def numbered(settings: SandboxSettings, number: str) -> list[dict[str, Any]]:
    return [d for d in desktop_ledger(settings) if d["reference"] == number]


def screenshot_of(exc: BaseException) -> Path:
    from robots.bots import artifacts_of

    artifacts = artifacts_of(exc)
    assert artifacts is not None and artifacts.screenshot is not None
    assert artifacts.screenshot.stat().st_size > 1000
    return artifacts.screenshot
