"""One item's browser work: a fresh context, modal handlers, tracing that never sees a
password, artifacts on failure, and the translation of browser trouble into error codes.

The trace records every action of the item (name, selector, values, timing, errors,
console) without DOM snapshots: a snapshot of every frame before, at and after each action
made each fill cost more and tracing a large share of the bot's time per invoice
(``bench/bench_erp_entry.py --phases`` prints where that time goes). The DOM is recorded where it is
needed: when an item fails, a second trace holds a snapshot of every frame of the screen
it failed on, beside the full-page screenshot.

The trace is paused while signing in (``stop_chunk`` before, ``start_chunk`` after), so
the typed password is never recorded, no snapshot is taken while the sign-in page can
show it, and every saved chunk is scrubbed of the password all the same. A password
field shows dots in a screenshot.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from clerk.errors import ApplicationError, ClerkError
from robots._egress import AllowList
from robots.bots._results import Artifacts, EntryResult
from robots.bots._screens import ServerError, SessionLost
from robots.bots._scrub import scrub_zip
from robots.bots.browser import Browser
from robots.bots.settings import BotSettings
from robots.credentials import Credential

log = logging.getLogger("clerk.bots")


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[:80] or "item"


class ItemRun:
    """A browser context for one item. ``login`` is called with the page and the
    credential; it is the only place the password is typed."""

    def __init__(
        self,
        browser: Browser,
        settings: BotSettings,
        system: str,
        item_key: str,
        credential: Credential,
        login: Callable[[Any, Credential], None],
        allow: AllowList | None = None,
    ) -> None:
        self.settings = settings
        self.system = system
        self.item_key = item_key
        self.credential = credential
        self._login = login
        self.context = browser.new_context(settings.bot_timeout_ms, allow)
        self.page = self.context.new_page()
        self.signed_in = False
        self.fresh = False  # just signed in: the page shows the start screen
        self.step = ""  # what the bot is doing, for error messages ("posting the invoice")
        self._trace_started = False
        self._tracing = False
        self._chunks: list[Path] = []
        stamp = time.strftime("%Y%m%dT%H%M%S")
        self.folder = settings.artifacts_dir() / f"{_safe_name(item_key)}-{stamp}"

    def sign_in(self) -> None:
        """Sign in with tracing paused."""
        if self._tracing:
            self._save_chunk()
        self.step = f"signing in to {self.system}"
        try:
            self._login(self.page, self.credential)
        except (ClerkError, ServerError, SessionLost):
            raise
        except Exception as exc:
            # Never chain: a browser error from the login form could quote the form.
            raise browser_error(self.system, exc, self.step, self.credential.password) from None
        if self.settings.bot_trace:
            if self._trace_started:
                self.context.tracing.start_chunk(title=self.item_key)
            else:
                # No screencast (it doubled the time per item on a 2-core worker) and no
                # DOM snapshots (see the module's docstring): fail() records the DOM.
                self.context.tracing.start(screenshots=False, snapshots=False, title=self.item_key)
                self._trace_started = True
            self._tracing = True
        self.signed_in = True
        self.fresh = True
        self.step = ""  # a bot that names no steps must not blame the sign-in

    def _save_chunk(self, name: str = "") -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"trace-{len(self._chunks) + 1}{name}.zip"
        self.context.tracing.stop_chunk(path=str(path))
        scrub_zip(path, self.credential.password)
        self._chunks.append(path)
        self._tracing = False

    def _record_failure_screen(self) -> None:
        """A trace of its own with a DOM snapshot of every frame of the screen the item
        failed on, for the trace viewer. Only while signed in: the sign-in page could
        hold the typed password."""
        if not (self.settings.bot_trace and self.signed_in) or self.page.is_closed():
            return
        tracing = self.context.tracing
        if self._trace_started:
            tracing.stop()
        tracing.start(
            screenshots=False, snapshots=True, title=f"{self.item_key}: the screen at failure"
        )
        self._trace_started = self._tracing = True
        # Any call on the page records the DOM of all its frames; this one never waits.
        self.page.locator("body").is_visible()
        self._save_chunk("-failure-screen")

    def fail(self) -> Artifacts:
        """Keep a screenshot and the traces of this item."""
        artifacts = Artifacts()
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            path = self.folder / "screenshot.png"
            self.page.screenshot(path=str(path), full_page=True, timeout=5000)
            artifacts.screenshot = path
        except Exception as exc:  # a dead page must not hide the real error
            log.warning("no screenshot for %s: %s", self.item_key, exc)
        try:
            if self._tracing:
                self._save_chunk()
        except Exception as exc:
            log.warning("no trace for %s: %s", self.item_key, exc)
        try:
            self._record_failure_screen()
        except Exception as exc:
            log.warning("no DOM snapshot of the failure for %s: %s", self.item_key, exc)
        artifacts.traces = list(self._chunks)
        return artifacts

    def close(self, success: bool) -> None:
        try:
            if self._trace_started:
                self.context.tracing.stop()
            if success:
                for chunk in self._chunks:
                    chunk.unlink(missing_ok=True)
        finally:
            self.context.close()


# Playwright errors that mean the application, or the browser's way to it, went away:
# a refused or reset connection, a failed navigation, a crashed or closed page. Any other
# Playwright error is the bot's own (a strict-mode violation, an element of the wrong kind).
_UNREACHABLE = re.compile(
    r"net::ERR_|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|socket hang up"
    r"|Target crashed|Page crashed|Target page, context or browser has been closed"
    r"|Browser has been closed|browser has disconnected",
    re.IGNORECASE,
)


def browser_error(system: str, exc: BaseException, step: str, secret: str = "") -> ClerkError:
    """A browser error as a stable code and a message naming the step it broke."""
    text = str(exc).replace(secret, "***") if secret else str(exc)
    first = (text.strip().splitlines() or [type(exc).__name__])[0]
    where = f" while {step}" if step else ""
    if "Timeout" in type(exc).__name__:
        return ApplicationError(
            f"{system}_TIMEOUT",
            f"{system} did not show the expected screen in time{where}: {first}",
        )
    if type(exc).__name__ == "TargetClosedError" or _UNREACHABLE.search(text):
        return ApplicationError(
            f"{system}_UNAVAILABLE", f"{system} could not be reached{where}: {first}"
        )
    return ApplicationError(
        "BOT_ERROR",
        f"the {system} bot failed{where}: {first}. The screen may have changed: see the "
        "screenshot and trace on the item; if the screen is as expected, the bot needs a fix",
    )


@contextmanager
def translated(system: str, step: Callable[[], str] = lambda: "") -> Iterator[None]:
    """Browser trouble as error codes: timeouts, unreachable servers, the bot's own
    mistakes (``BOT_ERROR``); ``step`` tells what the bot was doing."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        yield
    except PlaywrightError as exc:
        raise browser_error(system, exc, step()) from exc


def run_with_retries(
    run: ItemRun, attempt: Callable[[], EntryResult], max_attempts: int
) -> EntryResult:
    """Retry the whole (idempotent) attempt after server errors; sign in again once
    after a lost session."""
    relogins = 0
    errors = 0
    while True:
        try:
            with translated(run.system, lambda: run.step):
                if not run.signed_in:
                    run.sign_in()
                return attempt()
        except SessionLost:
            if relogins >= 1:
                raise ApplicationError(
                    "SESSION_LOST",
                    f"{run.system} ended the session again right after signing in anew; "
                    "the item will be retried",
                ) from None
            relogins += 1
            run.signed_in = False
            log.info("%s session lost; signing in again", run.system)
        except ServerError as exc:
            errors += 1
            if errors >= max_attempts:
                raise ApplicationError(
                    f"{run.system}_UNAVAILABLE",
                    f"{run.system} failed {errors} times in a row ({exc}); the item will be "
                    "retried later",
                ) from None
            log.info("%s server error (%s); attempt %d of %d", run.system, exc, errors + 1,
                     max_attempts)  # fmt: skip
