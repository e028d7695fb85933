"""Settings of the entry bots.

- ``CLERK_ERP_URL`` (``http://127.0.0.1:8801``) and ``CLERK_CMS_URL``
  (``http://127.0.0.1:8802``): the target apps.
- ``CLERK_BOT_TIMEOUT_MS`` (``15000``): how long one step may wait for a screen; past it
  the item fails with ``ERP_TIMEOUT``/``CMS_TIMEOUT``.
- ``CLERK_BOT_MAX_ATTEMPTS`` (``3``): attempts of one entry after server errors (the
  entry is idempotent, so a retry never duplicates).
- ``CLERK_BOT_TRACE`` (``true``): record a Playwright trace of each item's actions, kept on
  failure with a second trace holding the DOM of the screen the item failed on.
- ``CLERK_BOT_ARTIFACTS_DIR`` (``$CLERK_HOME/artifacts``): screenshots and traces of
  failed items.
- ``CLERK_BOT_HEADLESS`` (``true``).
- ``CLERK_DESKTOP_ERP_COMMAND`` (``<this python> -m sandbox.desktop``): how the desktop
  bot starts the desktop ERP client (split like a shell line); the client inherits the
  robot's environment (``CLERK_SANDBOX_*``: its database, account and faults file).
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from clerk.paths import clerk_home


class BotSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLERK_", extra="ignore")

    erp_url: str = "http://127.0.0.1:8801"
    cms_url: str = "http://127.0.0.1:8802"
    bot_timeout_ms: int = 15_000
    bot_max_attempts: int = 3
    bot_trace: bool = True
    bot_artifacts_dir: Path | None = None
    bot_headless: bool = True
    desktop_erp_command: str = ""

    def artifacts_dir(self) -> Path:
        return self.bot_artifacts_dir or clerk_home() / "artifacts"
