"""Settings of the sandbox ERP and CMS (``clerk sandbox``).

Environment variables (all optional):

- ``CLERK_SANDBOX_HOST`` (``127.0.0.1``): the address both apps listen on.
- ``CLERK_SANDBOX_ERP_PORT`` (``8801``) and ``CLERK_SANDBOX_CMS_PORT`` (``8802``).
- ``CLERK_SANDBOX_ERP_DB`` / ``CLERK_SANDBOX_CMS_DB``: SQLite files, default
  ``$CLERK_HOME/sandbox/erp.sqlite3`` and ``$CLERK_HOME/sandbox/cms.sqlite3``.
- ``CLERK_SANDBOX_ADMIN_TOKEN`` (``sandbox-admin``): guards ``/admin/faults`` and
  ``/ledger``; tests and benchmarks use it, the bots never do.
- ``CLERK_SANDBOX_USERNAME`` / ``CLERK_SANDBOX_PASSWORD`` (``robot`` / ``robot-pass``):
  the one account of each app (a sandbox, so a known default is acceptable).
- ``CLERK_SANDBOX_SESSION_IDLE_SECONDS`` (``900``): idle time after which a session ends.
- ``CLERK_SANDBOX_DESKTOP_FAULTS``: the desktop ERP client's faults file (JSON, read again
  when it changes; ``sandbox.desktop._faults``), default
  ``$CLERK_HOME/sandbox/desktop-faults.json``.
- ``CLERK_SANDBOX_SAMPLES_DIR`` (``<project>/samples/expected``): ground-truth JSON files
  whose vendors are seeded into the ERP so the bundled demo invoices can be entered.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from clerk.paths import PROJECT_ROOT, clerk_home


class SandboxSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLERK_SANDBOX_", extra="ignore")

    host: str = "127.0.0.1"
    erp_port: int = 8801
    cms_port: int = 8802
    erp_db: Path | None = None
    cms_db: Path | None = None
    admin_token: str = "sandbox-admin"  # noqa: S105 - a local sandbox default
    username: str = "robot"
    password: str = "robot-pass"  # noqa: S105 - a local sandbox default
    session_idle_seconds: float = 900.0
    samples_dir: Path = PROJECT_ROOT / "samples" / "expected"
    desktop_faults: Path | None = None

    def erp_db_path(self) -> Path:
        return self.erp_db or clerk_home() / "sandbox" / "erp.sqlite3"

    def cms_db_path(self) -> Path:
        return self.cms_db or clerk_home() / "sandbox" / "cms.sqlite3"

    def desktop_faults_path(self) -> Path:
        return self.desktop_faults or clerk_home() / "sandbox" / "desktop-faults.json"
