"""One Debian chromium per process, a fresh context per item.

Launch facts (STACK.md): never ``playwright install``; start the binary behind the
``/usr/bin/chromium`` wrapper, with background networking off so the browser itself
never tries to reach the internet.
"""

from __future__ import annotations

import threading
from typing import Any

from robots.egress import AllowList, guard_context

CHROMIUM = "/usr/lib/chromium/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


class Browser:
    """The process's browser, started on first use and closed with ``close()``."""

    def __init__(self, headless: bool = True) -> None:
        self.headless = headless
        self._lock = threading.Lock()
        self._playwright: Any = None
        self._browser: Any = None

    def get(self) -> Any:
        with self._lock:
            if self._browser is None or not self._browser.is_connected():
                from playwright.sync_api import sync_playwright

                if self._playwright is None:
                    self._playwright = sync_playwright().start()
                self._browser = self._playwright.chromium.launch(
                    executable_path=CHROMIUM, args=list(CHROMIUM_ARGS), headless=self.headless
                )
            return self._browser

    def new_context(self, timeout_ms: int, allow: AllowList | None = None) -> Any:
        """A fresh context (own cookies, own session) with the egress route installed."""
        context = self.get().new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(timeout_ms)
        context.set_default_navigation_timeout(timeout_ms)
        guard_context(context, allow)
        return context

    def close(self) -> None:
        with self._lock:
            if self._browser is not None:
                self._browser.close()
                self._browser = None
            if self._playwright is not None:
                self._playwright.stop()
                self._playwright = None

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
