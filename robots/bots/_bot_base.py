"""The part every bot shares: one context per item, retries, artifacts on failure."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from clerk.errors import ApplicationError, ClerkError
from robots._egress import AllowList
from robots.bots._item_run import ItemRun, run_with_retries
from robots.bots._modals import dismiss_modals
from robots.bots._results import Artifacts, EntryResult
from robots.bots.browser import Browser
from robots.bots.settings import BotSettings
from robots.credentials import Credential, credential

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

    def check_sign_in(self) -> None:
        """Sign in once, as an item would, and leave: nothing is traced or kept. Raises
        ``LOGIN_FAILED`` when the application refuses the credential, or the network codes
        (``*_UNAVAILABLE``, ``*_TIMEOUT``)."""
        from robots.bots._item_run import browser_error
        from robots.bots._screens import ServerError, SessionLost

        context = self.browser.new_context(self.settings.bot_timeout_ms, self.allow)
        try:
            self._login(context.new_page(), self.credential)
        except ClerkError:
            raise
        except (ServerError, SessionLost) as exc:
            raise ApplicationError(
                f"{self.system}_UNAVAILABLE", f"{self.system} failed the sign-in: {exc}"
            ) from None
        except Exception as exc:  # never chained: it could quote the form
            raise browser_error(self.system, exc, "signing in", self.credential.password) from None
        finally:
            context.close()

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
