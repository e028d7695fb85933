"""The sandbox apps on free loopback ports (no browser): one pair per session, faults
cleared after each test, and a signed-in HTTP client helper."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from sandbox.faults import set_faults
from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings

ADMIN = "unit-admin"
PASSWORD = "unit-pass"


@pytest.fixture(scope="session")
def apps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    folder = tmp_path_factory.mktemp("sandbox-unit")
    settings = SandboxSettings(
        erp_db=folder / "erp.sqlite3", cms_db=folder / "cms.sqlite3",
        admin_token=ADMIN, password=PASSWORD, samples_dir=folder / "no-samples",
    )  # fmt: skip
    running = Sandbox.start(settings, free_ports=True)
    yield running
    running.stop()


@pytest.fixture()
def faults(apps: Sandbox) -> Iterator[Any]:
    def apply(app: str = "erp", **values: Any) -> dict[str, Any]:
        return set_faults(getattr(apps, app).url, ADMIN, **values)

    yield apply
    set_faults(apps.erp.url, ADMIN)
    set_faults(apps.cms.url, ADMIN)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


@contextmanager
def signed_in(base_url: str, password: str = PASSWORD) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        token = csrf_of(client.get("/login").text)
        response = client.post(
            "/login", data={"csrf_token": token, "username": "robot", "password": password}
        )
        assert response.status_code == 303, response.text
        yield client
