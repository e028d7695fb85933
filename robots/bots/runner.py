"""The part every bot shares: one context per item, retries, artifacts on failure."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from clerk.errors import ApplicationError, ClerkError
from robots.bots.browser import Browser
from robots.bots.modals import dismiss_modals
from robots.bots.results import Artifacts, EntryResult
from robots.bots.run import ItemRun, run_with_retries
from robots.bots.settings import BotSettings
from robots.credentials import Credential, credential
from robots.egress import AllowList

log = logging.getLogger("clerk.bots")


class BotBase:
    system = ""

    def __init__(
        self,
        browser: Browser,
        settings: BotSettings,
        credential: Credential | None,
        allow: AllowList | None,
    ) -> None:
        self.browser = browser
        self.settings = settings
        self._credential = credential
        self.allow = allow
        self.last_artifacts: Artifacts | None = None

    @property
    def credential(self) -> Credential:
        if self._credential is None:
            self._credential = credential(self.system)
        return self._credential

    def _login(self, page: Any, credential: Credential) -> None:
        raise NotImplementedError

    def _execute(
        self, item_key: str, prepare: Callable[[ItemRun], Callable[[], EntryResult]]
    ) -> EntryResult:
        """Run one item in a fresh context. On failure the raised error carries
        ``artifacts`` (screenshot, traces), also kept in ``last_artifacts``."""
        self.last_artifacts = None
        run = ItemRun(
            self.browser, self.settings, self.system, item_key, self.credential, self._login,
            self.allow,
        )  # fmt: skip
        success = False
        dismiss_modals(run.context)
        try:
            attempt = prepare(run)
            result = run_with_retries(run, attempt, self.settings.bot_max_attempts)
            success = True
            return result
        except ClerkError as exc:
            exc.artifacts = self.last_artifacts = run.fail()  # type: ignore[attr-defined]
            log.warning("%s item %s failed: %s", self.system, item_key, exc)
            raise
        except Exception as exc:
            artifacts = self.last_artifacts = run.fail()
            error = ApplicationError(
                "INTERNAL", f"{self.system} bot failed on item {item_key}: {type(exc).__name__}"
            )
            error.artifacts = artifacts  # type: ignore[attr-defined]
            log.exception("%s item %s failed unexpectedly", self.system, item_key)
            raise error from exc
        finally:
            run.close(success)
